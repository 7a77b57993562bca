/* The map of an area: its outline and its incidents (data from the page's JSON blocks). */
(function () {
  if (typeof L === "undefined") return;
  var map = L.map("area-map");
  var url = JSON.parse(document.getElementById("tile-url").textContent);
  if (url) L.tileLayer(url, {maxZoom: 19}).addTo(map);
  var geometry = JSON.parse(document.getElementById("area-geometry").textContent);
  if (!geometry) { document.getElementById("area-map").hidden = true; return; }
  var shape = L.geoJSON(geometry, {style: {color: "#0f2a4a", weight: 2, fillOpacity: .08}}).addTo(map);
  map.fitBounds(shape.getBounds(), {padding: [10, 10]});
  JSON.parse(document.getElementById("area-points").textContent).forEach(function (p) {
    L.circleMarker([p[0], p[1]], {radius: 6, color: "#000", weight: 1, fillColor: p[2], fillOpacity: .85})
      .bindTooltip(p[3]).addTo(map);
  });
})();
