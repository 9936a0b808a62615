// The lineage page: draws server-computed positions (preset layout), opens a candidate on click,
// highlights every path back to the starting programs ("trace to roots").
(function () {
  "use strict";

  var COLOURS = { person: "#d62728", model: "#1f77b4", algorithm: "#2ca02c", literature: "#9467bd" };

  function start() {
    var data = JSON.parse(document.getElementById("lineage-data").textContent);
    var elements = data.nodes.concat(data.edges);
    var cy = cytoscape({
      container: document.getElementById("cy"),
      elements: elements,
      layout: { name: "preset" },
      textureOnViewport: data.nodes.length > 2000,
      hideEdgesOnViewport: data.nodes.length > 2000,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: {
          "background-color": function (n) { return COLOURS[n.data("kind")] || "#777"; },
          "label": "data(label)", "font-size": 10, "color": "#333",
          "width": 18, "height": 18,
          "text-valign": "bottom", "text-margin-y": 2 } },
        { selector: "node[?prompt]", style: { "shape": "round-rectangle" } },
        { selector: "node[?annotated]", style: { "border-width": 4, "border-color": "#f0b400" } },
        { selector: "node[?best]", style: { "width": 28, "height": 28 } },
        { selector: "node[?start]", style: { "outline-width": 3, "outline-color": "#1d2330" } },
        { selector: "edge", style: {
          "width": 1, "line-color": "#bbb", "target-arrow-color": "#bbb",
          "target-arrow-shape": "triangle", "curve-style": "straight", "arrow-scale": 0.6 } },
        { selector: "edge[role = 'crossover_donor']", style: { "line-style": "dashed" } },
        { selector: "edge[role = 'human_edit_of']", style: { "line-color": "#d62728", "target-arrow-color": "#d62728" } },
        { selector: ".faded", style: { "opacity": 0.15 } },
        { selector: "node.traced", style: { "opacity": 1 } },
        { selector: "node.traced[?prompt]", style: { "border-width": 4, "border-color": "#ff7f0e" } },
        { selector: "edge.traced", style: { "opacity": 1, "width": 2.5, "line-color": "#1d2330", "target-arrow-color": "#1d2330" } }
      ]
    });
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
    document.body.dataset.lineageReady = "true";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
