// Export downloads that show they are working: a whole run's supplement takes seconds to tens of seconds
// to make, and a plain download link shows nothing until the file arrives. While it waits, the link's status
// says the step the export has reached ("step 5 of 8: writing the PROV-JSON… 4 s"), read from the server
// under a token this script makes for the download (web.downloads). The link still works without this script
// (and with a modifier key, as a plain link).
(function () {
  "use strict";

  function filename(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var star = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (star) { return decodeURIComponent(star[1]); }
    var plain = /filename="([^"]+)"/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob), link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function token() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);  // getRandomValues, unlike randomUUID, needs no HTTPS
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // Ask for the step reached every POLL ms, one question at a time, until stop() is called.
  var POLL = 700;

  function watch(url, heard) {
    var stopped = false, timer = null;
    function ask() {
      fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        return response.ok ? response.json() : {};
      }).then(function (reached) {
        if (!stopped && reached.step) { heard("step " + reached.step + " of " + reached.of + ": " + reached.title); }
      }, function () { /* a missed answer: the next one will do */ }).then(function () {
        if (!stopped) { timer = window.setTimeout(ask, POLL); }
      });
    }
    timer = window.setTimeout(ask, POLL);
    return function stop() { stopped = true; window.clearTimeout(timer); };
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-export]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") { return; }
    var status = link.parentNode.querySelector(".export-status");
    var started = Date.now(), doing = "preparing";
    function seconds() { return Math.round((Date.now() - started) / 1000); }
    function say() { status.textContent = doing + "… " + seconds() + " s"; }
    link.setAttribute("aria-busy", "true");
    status.textContent = "preparing…";
    var timer = window.setInterval(say, 1000);
    var id = token(), list = link.closest("[data-progress]");
    var stop = list ? watch(list.dataset.progress.replace("TOKEN", id), function (step) {
      if (step !== doing) { doing = step; say(); }
    }) : function () {};
    var url = link.href + (link.href.indexOf("?") < 0 ? "?" : "&") + "progress=" + id;
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
      return response.blob().then(function (blob) { save(blob, filename(response, link.dataset.export)); });
    }).then(function () {
      status.textContent = "downloaded (" + seconds() + " s)";
    }, function (error) {
      status.textContent = "failed: " + error.message;
    }).then(function () {
      stop();
      window.clearInterval(timer);
      link.removeAttribute("aria-busy");
    });
  });
})();
