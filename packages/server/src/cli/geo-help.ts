/** The geography commands' part of `gridloop --help` (kept apart so main.ts loads nothing else). */
export const GEO_HELP = `  import-grids FILE          Import a grid map (GeoJSON FeatureCollection), all or nothing
      --crs WGS84|GCJ02|BD09 the file's coordinate system (default WGS84)
      --map code=P,name=P,…  property mapping (fields code, name, kind, parent, households,
                             population; default code, name, kind, village_code, …)
      --dry-run              check and report only
      --upsert               replace grids whose code exists (default: that is an error)
  export-grids CODE          Grids under a node as GeoJSON (--crs …, --out FILE; default stdout)
  coverage CODE              Gaps, overlaps and grid area outside a village/township/county
      --geojson FILE         also write the pieces as GeoJSON
  oversized CODE             Grids over their kind's limits, per township
  GRIDLOOP_GEO_NEAREST_M     a point outside every grid snaps to a grid this close (m, default 50)
`;
