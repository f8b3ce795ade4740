window.addEventListener('load', () => document.querySelectorAll('.js-plotly-plot').forEach(chart => {
  ((chart.layout || {}).sliders || []).forEach((slider, number) => {
    const steps = slider.steps || [];
    if (!steps.length) return;
    const label = document.createElement('label');
    label.className = 'slider-keys';
    const words = document.documentElement.dataset;
    const name = ((slider.currentvalue || {}).prefix || words.step).replace(/\s*:?\s*$/, '');
    label.textContent = `${name} ${words.arrowKeys} `;
    const input = Object.assign(document.createElement('input'),
                                {type: 'range', min: 0, max: steps.length - 1, step: 1, value: slider.active || 0});
    const say = () => input.setAttribute('aria-valuetext', steps[input.value].label);
    input.addEventListener('input', () => {
      const step = steps[input.value];
      say();
      Plotly[step.method](chart, ...step.args);
      Plotly.relayout(chart, {[`sliders[${number}].active`]: Number(input.value)});
    });
    chart.on('plotly_sliderchange', event => {
      if ((event.slider._index ?? 0) === number) { input.value = event.slider.active; say(); }
    });
    say();
    label.append(input);
    chart.after(label);
  });
}));
