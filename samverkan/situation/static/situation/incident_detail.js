/* The map of one incident (its place and colour from the map element's data attributes). */
(function () {
  var el = document.getElementById("incident-map");
  if (typeof L === "undefined" || !el) return;
  var p = [parseFloat(el.getAttribute("data-lat")), parseFloat(el.getAttribute("data-lon"))];
  var map = L.map(el).setView(p, parseInt(el.getAttribute("data-zoom"), 10));
  var url = JSON.parse(document.getElementById("tile-url").textContent);
  if (url) L.tileLayer(url, {maxZoom: 19}).addTo(map);
  L.circleMarker(p, {radius: 9, color: "#000", weight: 2, fillColor: el.getAttribute("data-colour"),
    fillOpacity: .9}).addTo(map);
})();
