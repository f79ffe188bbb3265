// The progress page's charts, drawn by the vendored Chart.js from the JSON the page embeds
// (#progress-data, written by Django's json_script). The tables beside each chart hold the same numbers,
// so the page reads the same without JavaScript.

const ACCENT = "#0b6e4f";
const MUTED = "#5b6470";
const WARN = "#9a3412";
const SIDE_COLOURS = { left: "#1d4ed8", right: "#c2410c", both: ACCENT };

function readData() {
  const node = document.getElementById("progress-data");
  return node ? JSON.parse(node.textContent) : null;
}

function translucent(hex, alpha) {
  const value = parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

const common = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  interaction: { mode: "index", intersect: false },
  plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
};

function adherenceChart(Chart, canvas, data) {
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: "Done", data: data.done, backgroundColor: ACCENT },
        {
          type: "line", label: "Planned", data: data.planned, borderColor: MUTED, borderDash: [6, 4],
          pointRadius: 0, stepped: "middle", fill: false,
        },
      ],
    },
    options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

function painChart(Chart, canvas, data) {
  const flat = (value) => data.labels.map(() => value);
  return new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Average", data: data.average, borderColor: ACCENT, backgroundColor: ACCENT, spanGaps: true },
        { label: "Highest", data: data.highest, borderColor: WARN, backgroundColor: WARN, spanGaps: true },
        { label: "Safe up to", data: flat(data.safe), borderColor: MUTED, borderDash: [4, 4], pointRadius: 0 },
        { label: "Stop above", data: flat(data.stop), borderColor: WARN, borderDash: [2, 4], pointRadius: 0 },
      ],
    },
    options: { ...common, scales: { y: { min: 0, max: 10, ticks: { stepSize: 2 } } } },
  });
}

function measureChart(Chart, canvas, chart) {
  const datasets = [];
  for (const side of chart.sides) {
    const colour = SIDE_COLOURS[side.side] || ACCENT;
    if (side.band) {
      const [low, high] = side.band;
      // Two edges of the band; the upper one fills down to the lower ("-1": the dataset before it).
      datasets.push({
        label: `${side.side} band low`, data: chart.labels.map(() => low), borderWidth: 0, pointRadius: 0,
        fill: false, band: true,
      });
      datasets.push({
        label: `${side.side}: first ± ${side.smallest_real_change}`, data: chart.labels.map(() => high),
        borderWidth: 0, pointRadius: 0, fill: "-1", backgroundColor: translucent(colour, 0.15), band: true,
      });
    }
    datasets.push({
      label: `${side.side}: ${side.verdict}`, data: side.values, borderColor: colour, backgroundColor: colour,
      spanGaps: true, fill: false,
    });
  }
  return new Chart(canvas, {
    type: "line",
    data: { labels: chart.labels, datasets },
    options: {
      ...common,
      plugins: {
        ...common.plugins,
        legend: { ...common.plugins.legend, labels: { boxWidth: 12, filter: (item, data) => !data.datasets[item.datasetIndex].band || item.text.includes("±") } },
      },
      scales: { y: { title: { display: Boolean(chart.unit), text: chart.unit } } },
    },
  });
}

function draw() {
  const Chart = window.Chart;
  const data = readData();
  if (!Chart || !data) return;
  const charts = [];
  const adherence = document.getElementById("adherence-chart");
  if (adherence) charts.push(adherenceChart(Chart, adherence, data.adherence));
  const pain = document.getElementById("pain-chart");
  if (pain) charts.push(painChart(Chart, pain, data.pain));
  for (const chart of data.measures) {
    const canvas = document.querySelector(`canvas.measure-chart[data-measure="${CSS.escape(chart.measure)}"]`);
    if (canvas) charts.push(measureChart(Chart, canvas, chart));
  }
  document.body.dataset.chartsDrawn = String(charts.length);
}

// Chart.js is a deferred classic script: it has run before this module unless it failed to load.
if (window.Chart) draw();
else window.addEventListener("load", draw, { once: true });
