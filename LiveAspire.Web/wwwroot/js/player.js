// The player stand-in: an animated canvas while the channel is live (the video itself is not part of LiveAspire).
// It honours prefers-reduced-motion: one still frame instead of the animation, redrawn when the setting changes.

const FRAME_MS = 1000 / 30;

/** Draws into `canvas` (may be null: nothing to draw). Returns { setLive(bool) }. */
export function createPlayer(canvas) {
  const ctx = canvas?.getContext('2d');
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)');
  let live = false;
  let frame = 0;
  let last = 0;

  const draw = (t) => {
    const { width: w, height: h } = canvas;
    const gradient = ctx.createLinearGradient(0, 0, w, h);
    const hue = (t / 80) % 360;
    gradient.addColorStop(0, `hsl(${hue}, 55%, 22%)`);
    gradient.addColorStop(1, `hsl(${(hue + 90) % 360}, 55%, 12%)`);
    ctx.fillStyle = gradient;
    ctx.fillRect(0, 0, w, h);
    // Moving bars, like a test pattern drifting past.
    for (let i = 0; i < 12; i++) {
      const x = ((i * w) / 12 + t / 25) % w;
      ctx.fillStyle = `hsla(${(hue + i * 30) % 360}, 70%, 60%, 0.18)`;
      ctx.fillRect(x, 0, w / 24, h);
    }
    const r = h / 6 + Math.sin(t / 600) * h / 24;
    ctx.beginPath();
    ctx.arc(w / 2, h / 2, r, 0, Math.PI * 2);
    ctx.fillStyle = 'rgba(255, 255, 255, 0.12)';
    ctx.fill();
  };

  const tick = (t) => {
    frame = 0;
    if (!live || reduced.matches) return;
    if (t - last >= FRAME_MS) { last = t; draw(t); }
    frame = requestAnimationFrame(tick);
  };

  const render = () => {
    if (!ctx) return;
    if (frame) { cancelAnimationFrame(frame); frame = 0; }
    if (!live) return;
    if (reduced.matches) draw(0); // a still frame
    else frame = requestAnimationFrame(tick);
  };

  reduced.addEventListener('change', render);
  return {
    setLive(value) {
      live = value;
      render();
    },
  };
}
