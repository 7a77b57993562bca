/* The EST report form: mark the place on the map or with the phone's position (texts from the map element's data attributes). */
(function () {
  var latInput = document.getElementById("id_lat"), lonInput = document.getElementById("id_lon");
  var accInput = document.getElementById("id_accuracy");
  var status = document.getElementById("place-status"), clear = document.getElementById("clear-place");
  var posBtn = document.getElementById("use-position");
  var mapEl = document.getElementById("report-map");
  function text(name) { return mapEl.getAttribute("data-text-" + name) || ""; }
  var texts = {marked: text("marked"), position: text("position"), locating: text("locating"),
    noPosition: text("no-position"), start: text("start")};
  if (typeof L === "undefined") { document.getElementById("report-map").hidden = true; return; }
  var centre = JSON.parse(document.getElementById("map-centre").textContent);
  var map = L.map("report-map", {zoomControl: true}).setView(centre, 13);
  var tileUrl = JSON.parse(document.getElementById("tile-url").textContent);
  if (tileUrl) {
    L.tileLayer(tileUrl, {maxZoom: 19,
      attribution: JSON.parse(document.getElementById("tile-attribution").textContent)}).addTo(map);
  }
  var marker = null;
  function mark(lat, lon, message) {
    latInput.value = lat.toFixed(6); lonInput.value = lon.toFixed(6);
    if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.marker([lat, lon]).addTo(map); }
    status.textContent = message; status.classList.add("ok"); status.classList.remove("muted");
    clear.hidden = false;
  }
  if (latInput.value && lonInput.value) {
    var lat0 = parseFloat(latInput.value), lon0 = parseFloat(lonInput.value);
    mark(lat0, lon0, texts.marked); map.setView([lat0, lon0], 16);
  }
  map.on("click", function (e) { accInput.value = ""; mark(e.latlng.lat, e.latlng.lng, texts.marked); });
  clear.addEventListener("click", function () {
    latInput.value = ""; lonInput.value = ""; accInput.value = "";
    if (marker) { map.removeLayer(marker); marker = null; }
    status.textContent = texts.start; status.classList.remove("ok"); status.classList.add("muted");
    clear.hidden = true;
  });
  if ("geolocation" in navigator) {
    posBtn.hidden = false;
    posBtn.addEventListener("click", function () {
      status.textContent = texts.locating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        var c = pos.coords;
        accInput.value = Math.round(c.accuracy);
        mark(c.latitude, c.longitude, texts.position.replace("%s", Math.round(c.accuracy)));
        map.setView([c.latitude, c.longitude], 17);
      }, function () { status.textContent = texts.noPosition; },
      {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
    });
  }
})();
