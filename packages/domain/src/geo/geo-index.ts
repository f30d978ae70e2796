/**
 * The port the intake uses to drop a report on the map: which node (grid, or the smallest region)
 * holds a WGS-84 point. Implemented in the server (adapters/geo/flatbush-geo-index.ts).
 */
export interface Located {
  /** The grid's code when the point fell in (or near) a grid, else the smallest enclosing region. */
  nodeCode: string;
  gridCode: string | null;
  /** 0 when inside the node's polygon; else the distance in metres to the nearest grid. */
  distanceM: number;
}

export interface GeoIndex {
  locate(lng: number, lat: number): Located | null;
  /** Number of polygon parts indexed. */
  readonly size: number;
}
