/* The residents' fault form: tap the map to mark the place (data from the page's JSON blocks). */
(function () {
  var latInput = document.getElementById("id_lat"), lonInput = document.getElementById("id_lon");
  var status = document.getElementById("place-status");
  if (typeof L === "undefined") { document.getElementById("fault-map").hidden = true; return; }
  var map = L.map("fault-map").setView(JSON.parse(document.getElementById("map-centre").textContent), 14);
  var tileUrl = JSON.parse(document.getElementById("tile-url").textContent);
  if (tileUrl) { L.tileLayer(tileUrl, {maxZoom: 19, attribution: JSON.parse(document.getElementById("tile-attribution").textContent)}).addTo(map); }
  var marker = null;
  function mark(lat, lon) {
    latInput.value = lat.toFixed(6); lonInput.value = lon.toFixed(6);
    if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.marker([lat, lon]).addTo(map); }
    status.textContent = status.getAttribute("data-marked");
  }
  if (latInput.value && lonInput.value) { mark(parseFloat(latInput.value), parseFloat(lonInput.value)); map.setView([parseFloat(latInput.value), parseFloat(lonInput.value)], 17); }
  map.on("click", function (e) { mark(e.latlng.lat, e.latlng.lng); });
})();
