/* A deck: 16:9, one idea a slide, speaker notes on "s"; charts are drawn again at the size of the slide
   they are on when it is shown (a chart drawn while its slide was hidden has no size). */
Reveal.initialize({
  width: 1280, height: 720, margin: 0.04, hash: true, controls: true, progress: true,
  slideNumber: "c/t", center: false, transition: "none", plugins: [RevealNotes]
});
function drawCharts(slide) {
  if (!window.Plotly || !slide) return;
  slide.querySelectorAll(".js-plotly-plot").forEach(function (chart) {
    if (!chart.dataset.onSlide) {  // once: text large enough for a room, and the chart a little taller
      chart.dataset.onSlide = "yes";
      Plotly.relayout(chart, {"font.size": 18, height: Math.max(chart.layout.height || 450, 470)});
    } else {
      Plotly.Plots.resize(chart);
    }
  });
}
Reveal.on("ready", function (event) {
  // a slide that scrolls can be scrolled from the keyboard too: each slide takes the focus in turn
  document.querySelectorAll(".reveal .slides section:not(.stack)").forEach(function (slide) {
    slide.setAttribute("tabindex", "0");
  });
  drawCharts(event.currentSlide);
});
Reveal.on("slidechanged", function (event) { drawCharts(event.currentSlide); });
