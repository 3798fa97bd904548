// Draws the charts on the statistics page from the JSON blocks next to each canvas.
// The tables under the charts hold the same numbers, so the page works without this file.
(function () {
  "use strict";

  var COLOURS = ["#1f5fa8", "#d97706", "#6b7280", "#15803d", "#b91c1c", "#7c3aed"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: spec.kind,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset, index) {
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: COLOURS[index % COLOURS.length],
            borderColor: COLOURS[index % COLOURS.length],
            fill: false,
            tension: 0.2
          };
        })
      },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
