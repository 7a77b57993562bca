/* A safety walk on a phone: the map (route and observations), the place of a new observation
   (tap the map or use the position), and a queue that keeps what was typed when the connection
   is weak and sends it when it can (each observation has a key: sent twice, saved once). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("walk-data").textContent);
  var form = document.getElementById("observation-form");
  var map = null, marker = null;
  if (typeof L !== "undefined" && document.getElementById("walk-map")) {
    map = L.map("walk-map");
    if (data.tiles) L.tileLayer(data.tiles, {maxZoom: 19, attribution: data.attribution}).addTo(map);
    var bounds = [];
    if (data.route.length) { L.polyline(data.route, {color: "#0f2a4a"}).addTo(map); bounds = bounds.concat(data.route); }
    data.points.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], {radius: 7, color: "#8c1d17"}).bindTooltip(p.label).addTo(map);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, {padding: [20, 20], maxZoom: 17});
    else map.setView([59.37, 16.51], 13);
  }
  if (!form) return;
  var lat = form.querySelector("[name=lat]"), lon = form.querySelector("[name=lon]");
  var text = document.getElementById("position-text");
  function place(a, b) {
    lat.value = a.toFixed(6); lon.value = b.toFixed(6);
    text.textContent = lat.value + ", " + lon.value;
    if (map) { if (marker) marker.setLatLng([a, b]); else marker = L.marker([a, b]).addTo(map); }
  }
  if (map) map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng); });
  document.getElementById("use-position").addEventListener("click", function () {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (pos) { place(pos.coords.latitude, pos.coords.longitude); });
  });

  var KEY = "samverkan-walk-queue-" + form.action;
  var status = document.getElementById("queue-status");
  function queue() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function save(q) { try { localStorage.setItem(KEY, JSON.stringify(q)); } catch (e) { /* full */ } }
  function show() {
    var n = queue().length;
    status.textContent = n ? n + " " + (n === 1 ? "observation väntar på att skickas." : "observationer väntar på att skickas.") : "";
  }
  function uuid() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID().replace(/-/g, "")
      : String(Date.now()) + Math.random().toString(16).slice(2);
  }
  function toBody(item) {
    var body = new FormData();
    Object.keys(item.fields).forEach(function (k) { body.append(k, item.fields[k]); });
    if (item.photo) {
      var parts = item.photo.split(","), bin = atob(parts[1]), arr = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
      body.append("photo", new Blob([arr], {type: "image/jpeg"}), "photo.jpg");
    }
    return body;
  }
  var sending = false;
  function flush() {
    var q = queue();
    if (!q.length || sending) { show(); return Promise.resolve(); }
    sending = true;
    var item = q[0];
    return fetch(form.action, {method: "POST", body: toBody(item), credentials: "same-origin",
                               headers: {"Accept": "application/json"}})
      .then(function (r) {
        if (r.status === 201) {
          save(queue().filter(function (x) { return x.fields.client_key !== item.fields.client_key; }));
          sending = false;
          if (!queue().length) { window.location.reload(); return; }
          return flush();
        }
        if (r.status === 400) {
          return r.json().then(function (body) {
            save(queue().filter(function (x) { return x.fields.client_key !== item.fields.client_key; }));
            sending = false;
            var msgs = Object.keys(body.errors || {}).map(function (k) { return body.errors[k].join(" "); });
            status.textContent = "Sparades inte: " + msgs.join(" ");
          });
        }
        sending = false; show();
      })
      .catch(function () { sending = false; show(); });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var fields = {};
    new FormData(form).forEach(function (v, k) { if (typeof v === "string") fields[k] = v; });
    fields.client_key = fields.client_key || uuid();
    var file = form.querySelector("input[type=file]");
    function enqueue(photo) {
      var q = queue(); q.push({fields: fields, photo: photo}); save(q);
      form.reset(); lat.value = ""; lon.value = ""; text.textContent = "";
      show(); flush();
    }
    if (file && file.files && file.files[0]) {
      var reader = new FileReader();
      reader.onload = function () { enqueue(reader.result); };
      reader.readAsDataURL(file.files[0]);
    } else {
      enqueue(null);
    }
  });
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  flush();
})();
