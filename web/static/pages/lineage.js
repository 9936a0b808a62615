// The lineage page: draws server-computed positions, opens a candidate on click, highlights every path back
// to the starting programs ("trace to roots").
//
// Above LARGE candidates (a whole run) Cytoscape holds the nodes only and the edges are drawn on a canvas
// underneath, kept in step with Cytoscape's pan and zoom. At 10,000 candidates and 14,000 edges, Cytoscape's
// first frame took about three seconds in headless Chromium, 1.2 s of it for the edges (their styles,
// bounding boxes and texture layers); the canvas draws all of them in a few tens of milliseconds.
(function () {
  "use strict";

  var LARGE = 2000;
  var COLOURS = { person: "#b3261e", model: "#1a5f91", algorithm: "#1e7b34", literature: "#6a3d9a" };
  var EDGE = { line: "#bbb", human: "#d62728", traced: "#1d2330", faded: 0.15 };

  // The zoom and pan that fit the nodes' positions into the container, as Cytoscape's fit would, without
  // measuring every element's bounding box first.
  function fitted(nodes, container) {
    var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    nodes.forEach(function (node) {
      var p = node.position;
      x1 = Math.min(x1, p.x); x2 = Math.max(x2, p.x);
      y1 = Math.min(y1, p.y); y2 = Math.max(y2, p.y);
    });
    // `below`: room under the lowest node for its label, which hangs beneath it.
    var pad = 50, below = 24, w = container.clientWidth, h = container.clientHeight;
    if (!nodes.length) { return { zoom: 1, pan: { x: w / 2, y: h / 2 } }; }
    var zoom = Math.min(2, (w - 2 * pad) / Math.max(1, x2 - x1), (h - 2 * pad - below) / Math.max(1, y2 - y1));
    return { zoom: zoom, pan: { x: (w - zoom * (x1 + x2)) / 2, y: (h - below - zoom * (y1 + y2)) / 2 } };
  }

  // A small lineage (a candidate's ancestry) is drawn at a zoom where labels read, centred on its start,
  // rather than fitted whole into a thin column of dots: the rest is a pan (or an arrow key) away.
  var READABLE = 0.8;

  function readable(view, nodes, start, container) {
    if (view.zoom >= READABLE) { return view; }
    var at = null;
    nodes.forEach(function (node) { if (node.data.id === start) { at = node.position; } });
    if (!at) { return view; }
    var w = container.clientWidth, h = container.clientHeight;
    return { zoom: READABLE, pan: { x: w / 2 - READABLE * at.x, y: h * 0.6 - READABLE * at.y } };
  }

  function styles(large) {
    // Large: labels only on the best, the annotated and the starting candidates (10,000 labels cost half a
    // second even when hidden), and no per-element style functions.
    var labelled = large ? "node[?best], node[?annotated], node[?start], node[?lineage]" : "node";
    var style = [
      { selector: "node", style: { "background-color": "#596070", "width": 14, "height": 14 } },
      { selector: "node[rank = 1]", style: { "width": 18, "height": 18 } },
      { selector: "node[rank = 2]", style: { "width": 22, "height": 22 } },
      { selector: "node[rank = 3]", style: { "width": 26, "height": 26 } },
      { selector: "node[rank = 4]", style: { "width": 32, "height": 32 } },
      { selector: labelled, style: {
        "label": "data(label)", "font-size": 11, "color": "#1d2330", "min-zoomed-font-size": large ? 6 : 0,
        "text-valign": "bottom", "text-margin-y": 3, "text-background-color": "#fff",
        "text-background-opacity": 0.85, "text-background-padding": 1 } }
    ];
    Object.keys(COLOURS).forEach(function (kind) {
      style.push({ selector: "node[kind = '" + kind + "']", style: { "background-color": COLOURS[kind] } });
    });
    return style.concat([
      { selector: "node[?prompt]", style: { "shape": "round-rectangle" } },
      { selector: "node[?annotated]", style: { "border-width": 4, "border-color": "#f0b400" } },
      { selector: "node[?lineage]", style: { "border-width": 3, "border-color": "#1d2330" } },
      { selector: "node[?best]", style: { "width": 36, "height": 36 } },
      { selector: "node.selected", style: { "overlay-color": "#1a5f91", "overlay-opacity": 0.3, "overlay-padding": 6 } },
      { selector: "node[?start]", style: { "outline-width": 3, "outline-color": "#1d2330" } },
      { selector: "edge", style: {
        "width": 1, "line-color": EDGE.line, "target-arrow-color": EDGE.line,
        "target-arrow-shape": "triangle", "curve-style": "straight", "arrow-scale": 0.6 } },
      { selector: "edge[role = 'crossover_donor']", style: { "line-style": "dashed" } },
      { selector: "edge[role = 'human_edit_of']", style: { "line-color": EDGE.human, "target-arrow-color": EDGE.human } },
      { selector: ".faded", style: { "opacity": EDGE.faded } },
      { selector: "node.traced", style: { "opacity": 1 } },
      { selector: "node.traced[?prompt]", style: { "border-width": 4, "border-color": "#ff7f0e" } },
      { selector: "edge.traced", style: { "opacity": 1, "width": 2.5, "line-color": EDGE.traced, "target-arrow-color": EDGE.traced } }
    ]);
  }

  // Every ancestor of `id` (and itself), following the edges' parents.
  function ancestry(id, parents) {
    var seen = new Set([id]), stack = [id];
    while (stack.length) {
      (parents.get(stack.pop()) || []).forEach(function (parent) {
        if (!seen.has(parent)) { seen.add(parent); stack.push(parent); }
      });
    }
    return seen;
  }

  // The edges of a large lineage, drawn on a canvas under Cytoscape's and redrawn when the view moves.
  function EdgeLayer(cy, container, nodes, edges) {
    var at = new Map();
    nodes.forEach(function (node) { at.set(node.data.id, node.position); });
    this.cy = cy;
    this.edges = edges.map(function (edge) {
      var d = edge.data;
      return { from: at.get(d.source), to: at.get(d.target), child: d.target, parent: d.source, role: d.role };
    });
    this.traced = null;  // the ids on the traced paths, or null
    this.drawn = 0;
    this.canvas = document.createElement("canvas");
    this.canvas.className = "lineage-edges";
    container.insertBefore(this.canvas, container.firstChild);
    var layer = this, queued = false;
    this.redraw = function () {
      if (queued) { return; }
      queued = true;
      window.requestAnimationFrame(function () { queued = false; layer.draw(); });
    };
    cy.on("viewport resize", this.redraw);
  }

  EdgeLayer.prototype.draw = function () {
    var canvas = this.canvas, cy = this.cy, ratio = window.devicePixelRatio || 1;
    var w = cy.width(), h = cy.height();
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
      canvas.style.width = w + "px";
      canvas.style.height = h + "px";
    }
    var context = canvas.getContext("2d"), zoom = cy.zoom(), pan = cy.pan();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.setTransform(zoom * ratio, 0, 0, zoom * ratio, pan.x * ratio, pan.y * ratio);
    var width = Math.max(1, 0.4 / zoom), traced = this.traced;  // at least 0.4 screen pixels
    var on = traced ? function (e) { return traced.has(e.child) && traced.has(e.parent); } : null;
    context.globalAlpha = traced ? EDGE.faded : 1;
    this.stroke(context, function (e) { return e.role !== "human_edit_of" && e.role !== "crossover_donor"; }, EDGE.line, width);
    this.stroke(context, function (e) { return e.role === "crossover_donor"; }, EDGE.line, width, [4 * width, 3 * width]);
    this.stroke(context, function (e) { return e.role === "human_edit_of"; }, EDGE.human, width);
    context.globalAlpha = 1;
    if (traced) { this.stroke(context, on, EDGE.traced, Math.max(2.5, 1.5 / zoom)); }
    this.drawn = this.edges.length;
  };

  EdgeLayer.prototype.stroke = function (context, which, colour, width, dash) {
    context.beginPath();
    this.edges.forEach(function (e) {
      if (which(e)) { context.moveTo(e.from.x, e.from.y); context.lineTo(e.to.x, e.to.y); }
    });
    context.setLineDash(dash || []);
    context.strokeStyle = colour;
    context.lineWidth = width;
    context.stroke();
  };

  function start() {
    performance.mark("lineage-start");
    var data = JSON.parse(document.getElementById("lineage-data").textContent);
    performance.mark("lineage-parsed");
    var container = document.getElementById("cy");
    var large = data.nodes.length > LARGE;
    var view = large ? fitted(data.nodes, container)
      : readable(fitted(data.nodes, container), data.nodes, data.start, container);
    var cy = cytoscape({
      container: container,
      elements: { nodes: data.nodes, edges: large ? [] : data.edges },
      layout: { name: "preset", fit: false },  // the positions are the server's, the view is fitted above
      zoom: view.zoom,
      pan: view.pan,
      autoungrabify: large,  // the edge layer follows the nodes' positions as given
      textureOnViewport: large,
      pixelRatio: large ? 1 : "auto",
      style: styles(large)
    });
    var edges = large ? new EdgeLayer(cy, container, data.nodes, data.edges) : null;
    var parents = new Map();
    data.edges.forEach(function (edge) {
      var child = edge.data.target;
      if (!parents.has(child)) { parents.set(child, []); }
      parents.get(child).push(edge.data.source);
    });
    performance.mark("lineage-built");
    window.seedtraceLineage = cy;  // for browser tests and the console
    window.seedtraceEdges = edges;

    function trace(node) {
      var ids = ancestry(node.id(), parents);
      cy.batch(function () {
        cy.elements().forEach(function (ele) {
          var on = ele.isNode() ? ids.has(ele.id()) : ids.has(ele.source().id()) && ids.has(ele.target().id());
          ele.toggleClass("traced", on).toggleClass("faded", !on);
        });
      });
      if (edges) { edges.traced = ids; edges.draw(); }
    }

    function clear() {
      cy.elements().removeClass("traced faded");
      if (edges) { edges.traced = null; edges.draw(); }
    }

    var status = document.getElementById("lineage-status");
    var selected = null;

    // The side panel: the candidate's code, diff and producer, fetched as HTML the server escaped.
    function show(node) {
      select(node);
      window.htmx.ajax("GET", node.data("url") + "panel/", { target: "#panel", swap: "innerHTML" });
    }

    function select(node) {
      if (selected) { selected.removeClass("selected"); }
      selected = node;
      node.addClass("selected");
      status.textContent = node.data("tip");
      var at = node.renderedPosition(), w = cy.width(), h = cy.height();
      if (at.x < 20 || at.y < 20 || at.x > w - 20 || at.y > h - 20) { cy.center(node); }
    }

    cy.on("tap", "node", function (event) {
      if (event.originalEvent && event.originalEvent.shiftKey) {
        trace(event.target);
      } else {
        show(event.target);
      }
    });

    var tip = document.getElementById("lineage-tip");
    cy.on("mouseover", "node", function (event) {
      var box = container.getBoundingClientRect(), at = event.target.renderedPosition();
      tip.textContent = event.target.data("tip");
      tip.style.left = (box.left + at.x + 14) + "px";
      tip.style.top = (box.top + at.y + 14) + "px";
      tip.hidden = false;
    });
    cy.on("mouseout", "node", function () { tip.hidden = true; });
    cy.on("viewport", function () { tip.hidden = true; });

    // Keyboard: ↑ a parent, ↓ a child, ← → the neighbours in the same generation, Enter shows, T traces.
    var children = new Map();
    data.edges.forEach(function (edge) {
      var parent = edge.data.source;
      if (!children.has(parent)) { children.set(parent, []); }
      children.get(parent).push(edge.data.target);
    });
    function beside(node, step) {
      var y = node.position("y"), x = node.position("x"), found = null;
      cy.nodes().forEach(function (other) {
        var ox = other.position("x");
        if (other.position("y") !== y || (ox - x) * step <= 0) { return; }
        if (!found || Math.abs(ox - x) < Math.abs(found.position("x") - x)) { found = other; }
      });
      return found;
    }
    container.addEventListener("keydown", function (event) {
      var from = selected || (data.start ? cy.getElementById(data.start) : cy.nodes("[?best]").first());
      if (!from || !from.length) { from = cy.nodes().first(); }
      var next = null, id = from.id();
      if (event.key === "ArrowUp") { next = (parents.get(id) || [])[0]; }
      else if (event.key === "ArrowDown") { next = (children.get(id) || [])[0]; }
      else if (event.key === "ArrowLeft") { next = beside(from, -1); }
      else if (event.key === "ArrowRight") { next = beside(from, 1); }
      else if (event.key === "Enter") { show(from); event.preventDefault(); return; }
      else if (event.key === "t" || event.key === "T") { trace(from); return; }
      else { return; }
      event.preventDefault();
      if (typeof next === "string") { next = cy.getElementById(next); }
      select(next && next.length ? next : from);
    });

    document.getElementById("trace").addEventListener("click", function () {
      var from = data.start ? cy.getElementById(data.start) : cy.nodes("[?best]");
      if (from && from.length) { trace(from[0]); }
    });
    document.getElementById("clear").addEventListener("click", clear);
    // Milliseconds from the start of navigation until the graph is drawn and answers clicks (bench/pages.py).
    cy.one("render", function () {
      if (edges) { edges.draw(); }
      performance.mark("lineage-drawn");
      document.body.dataset.lineageReady = String(Math.round(performance.now()));
    });
  }

  // Graph or list (?view=graph|list): the two links load the other view without this script; with it they
  // switch in place. The graph is built the first time it is shown: Cytoscape measures its container, which
  // has no size while the list is shown instead.
  function views() {
    var sections = { graph: document.getElementById("graph-view"), list: document.getElementById("list-view") };
    var links = Array.prototype.slice.call(document.querySelectorAll(".view-switch a[data-view]"));
    var built = false;

    function show(view) {
      Object.keys(sections).forEach(function (name) { sections[name].hidden = name !== view; });
      links.forEach(function (link) {
        if (link.dataset.view === view) { link.setAttribute("aria-current", "true"); }
        else { link.removeAttribute("aria-current"); }
      });
      if (view === "graph" && !built) { built = true; start(); }
    }

    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
        event.preventDefault();
        show(link.dataset.view);
        window.history.replaceState(null, "", link.href);  // a reload or a bookmark keeps the view
      });
    });
    show(sections.list.hidden ? "graph" : "list");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", views);
  } else {
    views();
  }
})();
