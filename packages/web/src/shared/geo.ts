/**
 * Plain-SVG map drawing for the H5 pages (no ECharts on phones): an equirectangular projection
 * scaled by cos(latitude), good enough at city scale, and its inverse for picking a point.
 */
import type { FeatureCollection, GeoFeature } from './types.ts';

export interface Projection {
  width: number;
  height: number;
  project(lng: number, lat: number): [number, number];
  invert(x: number, y: number): [number, number];
}

type Ring = number[][];

export function ringsOf(f: GeoFeature): Ring[] {
  const g = f.geometry;
  if (!g) return [];
  if (g.type === 'Polygon') return g.coordinates;
  return g.coordinates.flat();
}

export function bboxOf(features: readonly GeoFeature[]): [number, number, number, number] | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const f of features) {
    for (const ring of ringsOf(f)) {
      for (const [x, y] of ring) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
}

/** Fits the box into `width` pixels wide (height follows the aspect), with a margin. */
export function fitProjection(box: [number, number, number, number], width: number, margin = 8): Projection {
  const [minX, minY, maxX, maxY] = box;
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const spanX = Math.max(1e-9, (maxX - minX) * k);
  const spanY = Math.max(1e-9, maxY - minY);
  const scale = (width - 2 * margin) / spanX;
  const height = Math.min(Math.round(spanY * scale + 2 * margin), width * 1.6);
  const s = Math.min(scale, (height - 2 * margin) / spanY);
  const offX = (width - spanX * s) / 2;
  const offY = (height - spanY * s) / 2;
  return {
    width,
    height,
    project: (lng, lat) => [offX + (lng - minX) * k * s, offY + (maxY - lat) * s],
    invert: (x, y) => [minX + (x - offX) / (k * s), maxY - (y - offY) / s],
  };
}

export function pathOf(f: GeoFeature, p: Projection): string {
  return ringsOf(f)
    .map((ring) => ring.map(([x, y], i) => {
      const [px, py] = p.project(x, y);
      return `${i ? 'L' : 'M'}${px.toFixed(1)} ${py.toFixed(1)}`;
    }).join('') + 'Z')
    .join('');
}

/** Even-odd point-in-polygon over every ring of the feature. */
export function contains(f: GeoFeature, lng: number, lat: number): boolean {
  let inside = false;
  for (const ring of ringsOf(f)) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** A point to stand for a feature: its label centre when given, else its box centre. */
export function centreOf(f: GeoFeature): [number, number] | null {
  const c = f.properties?.center;
  if (Array.isArray(c) && c.length === 2 && typeof c[0] === 'number' && typeof c[1] === 'number') return [c[0], c[1]];
  const box = bboxOf([f]);
  return box ? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] : null;
}

export type { FeatureCollection };
