(function () {
  const box = document.getElementById('country-filter');
  const fold = text => text.normalize('NFKD').replace(/[̀-ͯ]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ').trim();
  box.addEventListener('input', () => {
    const wanted = fold(box.value);
    let heading = null, any = false, shown = 0;
    const finish = () => { if (heading) heading.hidden = !any; };
    for (const row of document.querySelectorAll('#countries tr[data-names], #countries tr.group')) {
      if (row.classList.contains('group')) { finish(); heading = row; any = false; continue; }
      const match = !wanted || row.dataset.names.includes(wanted);
      row.hidden = !match; any = any || match; shown += match;
    }
    finish();
    const words = box.dataset;
    document.getElementById('filter-count').textContent =
      wanted ? (shown === 1 ? words.one : words.many).replace('{n}', shown) : '';
  });
})();
