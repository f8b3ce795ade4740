(function () {
  const charts = () => document.querySelectorAll('.js-plotly-plot');
  const printHeight = chart => parseFloat(getComputedStyle(chart).getPropertyValue('--print-height'));
  window.addEventListener('beforeprint', () => charts().forEach(chart => {
    if (printHeight(chart) && !chart.dataset.screenHeight) {
      chart.dataset.screenHeight = chart._fullLayout.height;
      Plotly.relayout(chart, {height: printHeight(chart)});
    }
    Plotly.Plots.resize(chart);
  }));
  // a copy made only to be printed is never seen again: its charts are not drawn back at their screen size
  const onlyPrinted = document.querySelector('meta[name="jlnlearn-printed-copy"]') !== null;
  window.addEventListener('afterprint', () => onlyPrinted || charts().forEach(chart => {
    if (chart.dataset.screenHeight) {
      Plotly.relayout(chart, {height: Number(chart.dataset.screenHeight)});
      delete chart.dataset.screenHeight;
    }
    Plotly.Plots.resize(chart);
  }));
})();
