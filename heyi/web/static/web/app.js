// Small behaviour the pages need; no inline scripts, so the CSP can forbid them.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-toggle]").forEach((el) => {
    el.addEventListener("click", () => {
      const target = document.getElementById(el.dataset.toggle);
      el.classList.toggle("is-active");
      if (target) target.classList.toggle("is-active");
    });
  });
  document.querySelectorAll("[data-chart]").forEach((el) => {
    if (!window.echarts) return;
    const chart = window.echarts.init(el);
    chart.setOption(JSON.parse(document.getElementById(el.dataset.chart).textContent));
    window.addEventListener("resize", () => chart.resize());
  });
});
