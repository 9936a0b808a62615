// The lineage page: draws server-computed positions (preset layout), opens a candidate on click,
// highlights every path back to the starting programs ("trace to roots").
(function () {
  "use strict";

  var COLOURS = { person: "#d62728", model: "#1f77b4", algorithm: "#2ca02c", literature: "#9467bd" };

  function start() {
    performance.mark("lineage-start");
    var data = JSON.parse(document.getElementById("lineage-data").textContent);
    performance.mark("lineage-parsed");
    // Above this many candidates (a whole run), draw for speed: labels only on the best, the annotated and
    // the starting candidates (measuring 10,000 labels cost half a second even when hidden), "haystack"
    // edges (straight, no arrows), no per-element style functions.
    var large = data.nodes.length > 2000;
    var labelled = large ? "node[?best], node[?annotated], node[?start]" : "node";
    var style = [
      { selector: "node", style: { "background-color": "#777", "width": 18, "height": 18 } },
      { selector: labelled, style: {
        "label": "data(label)", "font-size": 10, "color": "#333", "min-zoomed-font-size": large ? 6 : 0,
        "text-valign": "bottom", "text-margin-y": 2 } }
    ];
    Object.keys(COLOURS).forEach(function (kind) {
      style.push({ selector: "node[kind = '" + kind + "']", style: { "background-color": COLOURS[kind] } });
    });
    style = style.concat([
      { selector: "node[?prompt]", style: { "shape": "round-rectangle" } },
      { selector: "node[?annotated]", style: { "border-width": 4, "border-color": "#f0b400" } },
      { selector: "node[?best]", style: { "width": 28, "height": 28 } },
      { selector: "node[?start]", style: { "outline-width": 3, "outline-color": "#1d2330" } },
      { selector: "edge", style: large ? {
        "width": 1, "line-color": "#bbb", "curve-style": "haystack", "haystack-radius": 0 } : {
        "width": 1, "line-color": "#bbb", "target-arrow-color": "#bbb",
        "target-arrow-shape": "triangle", "curve-style": "straight", "arrow-scale": 0.6 } },
      { selector: "edge[role = 'crossover_donor']", style: { "line-style": "dashed" } },
      { selector: "edge[role = 'human_edit_of']", style: { "line-color": "#d62728", "target-arrow-color": "#d62728" } },
      { selector: ".faded", style: { "opacity": 0.15 } },
      { selector: "node.traced", style: { "opacity": 1 } },
      { selector: "node.traced[?prompt]", style: { "border-width": 4, "border-color": "#ff7f0e" } },
      { selector: "edge.traced", style: { "opacity": 1, "width": 2.5, "line-color": "#1d2330", "target-arrow-color": "#1d2330" } }
    ]);
    var cy = cytoscape({
      container: document.getElementById("cy"),
      // Nodes first, edges added after: fitting the view to nodes and edges together cost Cytoscape
      // seconds at 10,000 candidates (edge bounding boxes), adding the edges afterwards a few hundred ms.
      elements: data.nodes,
      layout: { name: "preset" },
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      pixelRatio: large ? 1 : "auto",
      style: style
    });
    cy.add(data.edges);
    performance.mark("lineage-built");
    window.seedtraceLineage = cy;  // for browser tests and the console

    function trace(node) {
      cy.elements().removeClass("traced").addClass("faded");
      var path = node.predecessors().union(node);
      path.removeClass("faded").addClass("traced");
    }

    function clear() { cy.elements().removeClass("traced faded"); }

    cy.on("tap", "node", function (event) {
      if (event.originalEvent && event.originalEvent.shiftKey) {
        trace(event.target);
      } else {
        window.location.href = event.target.data("url");
      }
    });

    document.getElementById("trace").addEventListener("click", function () {
      var from = data.start ? cy.getElementById(data.start) : cy.nodes("[?best]");
      if (from && from.length) { trace(from); }
    });
    document.getElementById("clear").addEventListener("click", clear);
    // Milliseconds from the start of navigation until the graph is drawn and answers clicks (bench/pages.py).
    cy.one("render", function () {
      performance.mark("lineage-drawn");
      document.body.dataset.lineageReady = String(Math.round(performance.now()));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
