// Export downloads that show they are working: a whole run's supplement takes seconds to tens of seconds
// to make, and a plain download link shows nothing until the file arrives. The link still works without
// this script (and with a modifier key, as a plain link).
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

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-export]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") { return; }
    var status = link.parentNode.querySelector(".export-status");
    var started = Date.now();
    function seconds() { return Math.round((Date.now() - started) / 1000); }
    link.setAttribute("aria-busy", "true");
    status.textContent = "preparing…";
    var timer = window.setInterval(function () { status.textContent = "preparing… " + seconds() + " s"; }, 1000);
    fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
      return response.blob().then(function (blob) { save(blob, filename(response, link.dataset.export)); });
    }).then(function () {
      status.textContent = "downloaded (" + seconds() + " s)";
    }, function (error) {
      status.textContent = "failed: " + error.message;
    }).then(function () {
      window.clearInterval(timer);
      link.removeAttribute("aria-busy");
    });
  });
})();
