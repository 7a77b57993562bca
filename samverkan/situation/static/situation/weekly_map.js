/* The weekly situation picture's map: the week's incidents (dots in the colour of their
   category), the hot spot cells (Gi* confidence bins coloured like ArcGIS: red = hot,
   blue = cold; 99/95/90 %), the places that recur, the residents' voice and the layers other
   apps add (fault reports: layers). Data: the JSON in #weekly-map-data (tiles, labels, hot
   spot cells, places) and, fetched from its pointsUrl, the week's incidents, the residents'
   voice and the layers (the page renders without the points).

   Every layer has a switch in the map's layer control (top right); which layers are shown is
   kept in the browser (localStorage, STATE_KEY), so the map opens as it was left, also for the
   next week. Other scripts add their layers with event.detail.addOverlay(key, label, layer) of
   the "samverkan:map-ready" event (emerging hot spots). */
(function () {
  "use strict";
  var BIN_COLOURS = {"3": "#d62f27", "2": "#ed7551", "1": "#fab984",
                     "-1": "#c0ccbe", "-2": "#849eba", "-3": "#4575b5"};

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  var STATE_KEY = "samverkan.weeklyMap.layers";

  function loadState() {
    try {
      return JSON.parse(window.localStorage.getItem(STATE_KEY) || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  function saveState(state) {
    try {
      window.localStorage.setItem(STATE_KEY, JSON.stringify(state));
    } catch (e) { /* storage off (private mode): the switches still work on the page */ }
  }

  /* The layer control with every layer's switch; shown layers are remembered. */
  function switches(map) {
    var state = loadState();
    var control = L.control.layers(null, null, {collapsed: false}).addTo(map);
    var keys = {};
    function addOverlay(key, label, layer, swatchClass) {
      keys[L.stamp(layer)] = key;
      if (state[key] !== false) { layer.addTo(map); }
      var text = esc(label);
      if (swatchClass) {
        text = '<span class="swatch ' + esc(swatchClass) + '"></span> ' + text;
      }
      control.addOverlay(layer, text);
    }
    function remember(event, shown) {
      var key = keys[L.stamp(event.layer)];
      if (key) {
        state = loadState();
        state[key] = shown;
        saveState(state);
      }
    }
    map.on("overlayadd", function (event) { remember(event, true); });
    map.on("overlayremove", function (event) { remember(event, false); });
    return addOverlay;
  }

  function init() {
    var el = document.getElementById("weekly-map");
    var source = document.getElementById("weekly-map-data");
    if (!el || !source || typeof L === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    // A view must be set before vector layers are added; fitted to the data below.
    var map = L.map(el, {scrollWheelZoom: false}).setView([59.37, 16.51], 11);
    L.tileLayer(data.tileUrl, {attribution: data.tileAttribution, maxZoom: 19}).addTo(map);
    var bounds = L.latLngBounds([]);
    var labels = data.labels;
    var addOverlay = switches(map);

    var cells = L.geoJSON(data.cells, {
      style: function (f) {
        return {color: BIN_COLOURS[String(f.properties.bin)], weight: 1, opacity: 0.9,
                fillColor: BIN_COLOURS[String(f.properties.bin)], fillOpacity: 0.55};
      },
      onEachFeature: function (f, layer) {
        var b = f.properties.bin;
        var name = b > 0 ? labels.hot[3 - b] : labels.cold[3 + b];
        layer.bindPopup("<strong>" + esc(name) + "</strong><br>" + esc(f.properties.count) +
                        " " + esc(labels.incidents) + ", z = " + esc(f.properties.z));
      }
    });
    if (data.cells.features.length) { bounds.extend(cells.getBounds()); }
    addOverlay("hotspots", labels.hotspots, cells);

    var places = L.featureGroup();
    data.places.forEach(function (p) {
      var m = L.circleMarker([p.lat, p.lon], {radius: 11, color: "#0f2a4a", weight: 2,
                                             dashArray: "3 3", fill: false}).addTo(places);
      m.bindPopup("<strong>" + esc(p.label || "") + "</strong><br>" + esc(p.weeks) + " " +
                  esc(labels.weeks) + ", " + esc(p.incidents) + " " + esc(labels.incidents));
      bounds.extend([p.lat, p.lon]);
    });
    addOverlay("places", labels.places, places, "swatch-place");

    // The week's incidents, the residents' voice and the other apps' layers are the map's own
    // request (data.pointsUrl): the page renders without them.
    function drawPoints(more) {
      var points = L.featureGroup();
      (more.points || []).forEach(function (p) {
        var m = L.circleMarker([p.lat, p.lon], {
          radius: p.precision === "address" ? 5 : 6, color: "#fff", weight: 1.5,
          fillColor: p.colour || "#555", fillOpacity: 0.95}).addTo(points);
        m.bindPopup("<strong>" + esc(p.category) + "</strong><br>" + esc(p.when) +
                    (p.place ? "<br>" + esc(p.place) : ""));
        bounds.extend([p.lat, p.lon]);
      });
      addOverlay("points", labels.points, points, "swatch-dot");

      // The residents' voice: safety-walk observations and dialogue concerns (last 12 months).
      var residents = L.featureGroup();
      (more.residents || []).forEach(function (p) {
        var m = L.circleMarker([p.lat, p.lon], {radius: 7, color: "#6b21a8", weight: 2,
                                               fillColor: "#fff", fillOpacity: 0.9,
                                               className: "map-layer-residents"})
          .addTo(residents);
        m.bindPopup("<strong>" + esc(labels.residents || "") + "</strong><br>" + esc(p.label));
      });
      if ((more.residents || []).length) {
        addOverlay("residents", labels.residents, residents, "swatch-residents");
      }

      // The layers of other apps (fault reports): a switch, a colour and a legend line each.
      var legend = el.parentNode.querySelector(".map-legend");
      (more.layers || []).forEach(function (layerData) {
        var group = L.featureGroup();
        layerData.points.forEach(function (p) {
          L.circleMarker([p.lat, p.lon], {radius: 6, color: "#3d2600", weight: 1.5,
                                          fillColor: layerData.colour, fillOpacity: 0.95,
                                          className: "map-layer-" + layerData.key})
            .bindPopup("<strong>" + esc(layerData.label) + "</strong><br>" + esc(p.label))
            .addTo(group);
          bounds.extend([p.lat, p.lon]);
        });
        addOverlay(layerData.key, layerData.label, group, "swatch-layer-" + layerData.key);
        if (legend) {
          var item = document.createElement("li");
          item.id = "legend-" + layerData.key;
          var swatch = document.createElement("span");
          swatch.className = "swatch swatch-layer-" + layerData.key;
          item.appendChild(swatch);
          item.appendChild(document.createTextNode(
            layerData.label + " (" + layerData.points.length + ")"));
          legend.appendChild(item);
        }
      });
    }

    function ready() {
      if (bounds.isValid()) {
        map.fitBounds(bounds.pad(0.1), {maxZoom: 15});
      }
      // Other layers (emerging hot spots) join this map.
      el.dispatchEvent(new CustomEvent("samverkan:map-ready",
                                       {detail: {map: map, addOverlay: addOverlay},
                                        bubbles: true}));
    }

    if (!data.pointsUrl) {
      ready();
      return;
    }
    window.fetch(data.pointsUrl, {credentials: "same-origin",
                                  headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(drawPoints)
      .catch(function () {
        var status = document.getElementById("weekly-map-status");
        if (status) {
          status.textContent = labels.failed || "";
          status.hidden = false;
        }
      })
      .then(ready);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
