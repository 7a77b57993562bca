/* The weekly situation picture's map: the week's incidents (dots in the colour of their
   category), the hot spot cells (Gi* confidence bins coloured like ArcGIS: red = hot,
   blue = cold; 99/95/90 %) and the places that recur. Data: the JSON in #weekly-map-data. */
(function () {
  "use strict";
  var BIN_COLOURS = {"3": "#d62f27", "2": "#ed7551", "1": "#fab984",
                     "-1": "#c0ccbe", "-2": "#849eba", "-3": "#4575b5"};

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
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
    }).addTo(map);
    if (data.cells.features.length) { bounds.extend(cells.getBounds()); }

    data.places.forEach(function (p) {
      var m = L.circleMarker([p.lat, p.lon], {radius: 11, color: "#0f2a4a", weight: 2,
                                             dashArray: "3 3", fill: false}).addTo(map);
      m.bindPopup("<strong>" + esc(p.label || "") + "</strong><br>" + esc(p.weeks) + " " +
                  esc(labels.weeks) + ", " + esc(p.incidents) + " " + esc(labels.incidents));
      bounds.extend([p.lat, p.lon]);
    });

    data.points.forEach(function (p) {
      var m = L.circleMarker([p.lat, p.lon], {
        radius: p.precision === "address" ? 5 : 6, color: "#fff", weight: 1.5,
        fillColor: p.colour || "#555", fillOpacity: 0.95}).addTo(map);
      m.bindPopup("<strong>" + esc(p.category) + "</strong><br>" + esc(p.when) +
                  (p.place ? "<br>" + esc(p.place) : ""));
      bounds.extend([p.lat, p.lon]);
    });

    // The residents' voice: safety-walk observations and dialogue concerns (last 12 months).
    (data.residents || []).forEach(function (p) {
      var m = L.circleMarker([p.lat, p.lon], {radius: 7, color: "#6b21a8", weight: 2,
                                             fillColor: "#fff", fillOpacity: 0.9}).addTo(map);
      m.bindPopup("<strong>" + esc(labels.residents || "") + "</strong><br>" + esc(p.label));
    });

    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.1), {maxZoom: 15});
    }
    // Other layers (emerging hot spots) join this map.
    el.dispatchEvent(new CustomEvent("samverkan:map-ready", {detail: {map: map}, bubbles: true}));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
