// The drill page's figure: a pause/play button for its animation, and paused from the start for a runner whose
// device asks for reduced motion. Without this script the figure simply plays (the button stays hidden).
(function () {
  const figure = document.getElementById("drill-figure");
  const button = document.getElementById("figure-pause");
  const svg = figure && figure.querySelector("svg");
  if (!svg || !button || typeof svg.pauseAnimations !== "function") return;

  function show(paused) {
    if (paused) svg.pauseAnimations(); else svg.unpauseAnimations();
    button.setAttribute("aria-pressed", String(paused));
    button.textContent = paused ? "Play" : "Pause";
  }

  button.hidden = false;
  button.addEventListener("click", function () { show(button.getAttribute("aria-pressed") !== "true"); });
  show(window.matchMedia("(prefers-reduced-motion: reduce)").matches);
})();
