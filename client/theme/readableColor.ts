/**
 * A person's colour as text that stays readable (WCAG AA, 4.5:1) on every background it can sit
 * on in the review (the page, a commented passage, a highlighted observation), in light and in
 * dark: darkened towards black for the light theme, lightened towards white for the dark one,
 * only as far as needed, so it stays recognisably theirs.
 */

type Rgb = [number, number, number];

const toRgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const toHex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(toRgb(a)), luminance(toRgb(b))].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

const mix = (from: Rgb, to: Rgb, t: number): Rgb => from.map((c, i) => c + (to[i]! - c) * t) as Rgb;

/** The backgrounds text can be on, per theme (the page's surface, a commented passage, a focused observation). */
export const TEXT_BACKGROUNDS = {
  light: ['#ffffff', '#eaf1fb', '#fff3c4'],
  dark: ['#1b2129', '#1d2c40', '#3b3213'],
} as const;

const MIN_CONTRAST = 4.6;

/** `hex` moved towards black (light theme) or white (dark theme) until it reads on all `backgrounds`. */
export function readableOn(hex: string, theme: 'light' | 'dark'): string {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) return hex;
  const backgrounds = TEXT_BACKGROUNDS[theme];
  const target: Rgb = theme === 'light' ? [0, 0, 0] : [255, 255, 255];
  const base = toRgb(hex);
  for (let step = 0; step <= 20; step++) {
    const candidate = toHex(mix(base, target, step / 20));
    if (backgrounds.every((bg) => contrast(candidate, bg) >= MIN_CONTRAST)) return candidate;
  }
  return toHex(target);
}

/** CSS custom properties carrying a person's text colour for both themes (styles.css picks one). */
export function authorColorVars(hex: string | undefined): Record<string, string> {
  if (!hex) return {};
  return { '--author-light': readableOn(hex, 'light'), '--author-dark': readableOn(hex, 'dark') };
}
