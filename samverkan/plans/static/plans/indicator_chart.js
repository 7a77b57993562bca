/* The chart of an indicator's measurements (data from the page's JSON block). */
(function () {
  var data = JSON.parse(document.getElementById("indicator-chart-data").textContent);
  var canvas = document.getElementById("indicator-chart");
  if (!window.Chart || !canvas) return;
  var n = data.labels.length;
  function flat(v) { var a = []; for (var i = 0; i < n; i++) a.push(v); return a; }
  var datasets = [{label: data.labelValue, data: data.values, borderColor: "#1a5fb4",
    backgroundColor: "#1a5fb4", spanGaps: true, tension: 0, pointRadius: 4}];
  if (data.baseline !== null) datasets.push({label: data.labelBaseline, data: flat(data.baseline),
    borderColor: "#555e69", borderDash: [4, 4], pointRadius: 0, borderWidth: 2});
  if (data.target !== null) datasets.push({label: data.labelTarget, data: flat(data.target),
    borderColor: "#1e6b34", borderDash: [8, 4], pointRadius: 0, borderWidth: 2});
  var lang = document.documentElement.lang || "sv";
  new Chart(canvas, {type: "line", data: {labels: data.labels, datasets: datasets},
    options: {responsive: true, maintainAspectRatio: false, locale: lang, animation: false,
      plugins: {legend: {position: "bottom"}},
      scales: {y: {title: {display: !!data.unit, text: data.unit}}}}});
})();
