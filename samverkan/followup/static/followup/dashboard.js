/* The follow-up dashboard's charts (data from the page's JSON block; Chart.js is deferred too). */
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Chart) { return; }
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var colours = {possible: "#9aa5b1", planned: "#1a5fb4", ongoing: "#2e8540", done: "#1e5b32", cancelled: "#d32f2f"};
  new Chart(document.getElementById("chart-status"), {
    type: "bar",
    data: {labels: data.status.labels, datasets: [{data: data.status.values,
      backgroundColor: data.status.keys.map(function (k) { return colours[k]; })}]},
    options: {maintainAspectRatio: false, plugins: {legend: {display: false}}, scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}
  });
  new Chart(document.getElementById("chart-areas"), {
    type: "bar",
    data: {labels: data.areas.labels.map(function (l) { return l.length > 40 ? l.slice(0, 38) + "…" : l; }),
      datasets: data.areas.series.map(function (s) { return {label: s.label, data: s.values, backgroundColor: colours[s.key]}; })},
    options: {indexAxis: "y", maintainAspectRatio: false, scales: {x: {stacked: true, ticks: {precision: 0}}, y: {stacked: true}}}
  });
  var ind = document.getElementById("chart-indicators");
  if (ind) {
    new Chart(ind, {
      type: "bar",
      data: {labels: data.indicators.labels.map(function (l) { return l.length > 45 ? l.slice(0, 43) + "…" : l; }),
        datasets: [{label: "%", data: data.indicators.values, backgroundColor: "#1a5fb4"}]},
      options: {indexAxis: "y", maintainAspectRatio: false, plugins: {legend: {display: false}},
        scales: {x: {suggestedMin: 0, suggestedMax: 100, ticks: {callback: function (v) { return v + " %"; }}}}}
    });
  }
});
