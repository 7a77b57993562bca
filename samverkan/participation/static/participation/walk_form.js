/* The safety-walk form: click the map to draw the route (tile server from the map's data-tiles). */
(function () {
  if (typeof L === "undefined") return;
  var input = document.getElementById("id_route");
  var el = document.getElementById("route-map");
  var map = L.map(el).setView([59.37, 16.51], 13);
  if (el.getAttribute("data-tiles")) L.tileLayer(el.getAttribute("data-tiles"), {maxZoom: 19}).addTo(map);
  var points = [];
  try { points = JSON.parse(input.value || "[]"); } catch (e) { points = []; }
  var line = L.polyline(points, {color: "#0f2a4a"}).addTo(map);
  if (points.length) map.fitBounds(line.getBounds(), {padding: [20, 20]});
  map.on("click", function (e) {
    points.push([+e.latlng.lat.toFixed(6), +e.latlng.lng.toFixed(6)]);
    line.setLatLngs(points);
    input.value = JSON.stringify(points);
  });
})();
