// Text/background contrast (WCAG 2) of the elements under `root` that match
// `selectors`: [{selector, text, ratio}], one per match that has text. The
// background is the first opaque one up the tree (shadow roots included);
// half-transparent text is blended onto it first.
(args) => {
  const [rootSelector, selectors] = args;
  // rgb()/rgba(), or color(srgb ...) (0..1 channels), which color-mix() computes to.
  const parse = (c) => {
    const m = c.match(/^(rgba?|color)\((?:srgb )?([^)]+)\)$/);
    if (!m) throw new Error(`cannot read colour ${c}`);
    const [r, g, b, a = 1] = m[2].split(/[ ,/]+/).filter(Boolean).map(Number);
    const k = m[1] === "color" ? 255 : 1;
    return { r: r * k, g: g * k, b: b * k, a };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement || (e.getRootNode() && e.getRootNode().host)) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    return layers.reduceRight((acc, c) => over(c, acc), { r: 255, g: 255, b: 255, a: 1 });
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const root = document.querySelector(rootSelector);
  const out = [];
  for (const selector of selectors) {
    for (const el of root.querySelectorAll(selector)) {
      const text = el.textContent.trim();
      if (!text || el.getClientRects().length === 0) continue;
      const bg = background(el);
      const style = getComputedStyle(el);
      const fg = over(parse(style.color), bg);
      const opacity = Number(style.opacity);
      const shown = opacity < 1 ? over({ ...fg, a: opacity }, bg) : fg;
      const [hi, lo] = [lum(shown), lum(bg)].sort((x, y) => y - x);
      out.push({ selector, text: text.slice(0, 40), ratio: (hi + 0.05) / (lo + 0.05) });
    }
  }
  return out;
}
