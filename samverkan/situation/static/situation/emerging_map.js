/* Emerging hot spots on the maps of the situation picture. The weekly page fetches its layer
   (data-url on .emerging-box) once the weekly map is ready; the yearly page draws its own map
   from the JSON in #yearly-emerging-data. Squares are coloured by category. */
(function () {
  "use strict";

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function layer(geojson, box) {
    return L.geoJSON(geojson, {
      style: function (f) {
        return {color: f.properties.colour, weight: 1, opacity: 0.95,
                fillColor: f.properties.colour, fillOpacity: 0.6};
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindPopup("<strong>" + esc(p.label) + "</strong><br>" + esc(box.dataset.sinceLabel) +
                    " " + esc(p.since) + ", " + esc(box.dataset.trendLabel) + " z = " +
                    esc(p.trend_z) + "<br>" + esc(p.count));
      }
    });
  }

  function weekly(box, map, addOverlay) {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        var status = box.querySelector(".emerging-status");
        status.textContent = data.message;
        status.classList.toggle("is-warning", !data.meaningful);
        box.querySelector(".emerging-accuracy").textContent = data.accuracy;
        var legend = box.querySelector(".emerging-legend");
        data.legend.forEach(function (item) {
          var li = document.createElement("li");
          var swatch = document.createElement("span");
          swatch.className = "swatch";
          swatch.style.background = item.colour;  // the CSSOM: allowed by the CSP
          li.appendChild(swatch);
          li.appendChild(document.createTextNode(item.label + " (" + item.cells + ")"));
          legend.appendChild(li);
        });
        if (data.layer.features.length) {
          var overlay = layer(data.layer, box);
          if (addOverlay) {  // the weekly map's layer control, with the kept switch state
            addOverlay("emerging", box.dataset.layerLabel, overlay);
          } else {
            var overlays = {};
            overlays[box.dataset.layerLabel] = overlay.addTo(map);
            L.control.layers(null, overlays, {collapsed: false}).addTo(map);
          }
        }
      })
      .catch(function () {
        box.querySelector(".emerging-status").textContent = "–";
      });
  }

  document.addEventListener("samverkan:map-ready", function (event) {
    var box = document.querySelector(".emerging-box[data-url]");
    if (box && event.target.id === box.dataset.map && typeof L !== "undefined") {
      weekly(box, event.detail.map, event.detail.addOverlay);
    }
  });

  function yearly() {
    var el = document.getElementById("yearly-emerging-map");
    var source = document.getElementById("yearly-emerging-data");
    if (!el || !source || typeof L === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(el, {scrollWheelZoom: false}).setView([59.37, 16.51], 11);
    L.tileLayer(el.dataset.tileUrl, {attribution: el.dataset.tileAttribution, maxZoom: 19})
      .addTo(map);
    var squares = layer(data, el).addTo(map);
    if (data.features.length) { map.fitBounds(squares.getBounds().pad(0.2), {maxZoom: 15}); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", yearly);
  } else {
    yearly();
  }
})();
