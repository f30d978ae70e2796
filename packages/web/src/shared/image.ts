/**
 * Photos are shrunk in the browser before upload 照片压缩: the longest side to `maxSide` pixels,
 * re-encoded as JPEG. A 12-megapixel phone photo (4–6 MB) becomes ~200–400 KB, which matters on
 * a weak signal. Re-encoding also drops the EXIF block (the location is sent as a field instead).
 */
export interface ResizedPhoto {
  blob: Blob;
  width: number;
  height: number;
  /** False when the browser could not decode the file and the original is sent as is. */
  resized: boolean;
}

/** The size that fits within maxSide × maxSide, keeping the aspect ratio; never enlarges. */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

async function decode(file: Blob): Promise<{ source: CanvasImageSource; width: number; height: number; close(): void }> {
  if (typeof createImageBitmap === 'function') {
    // from-image: phones store portrait photos rotated with an EXIF orientation tag.
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) };
  } catch (error) {
    URL.revokeObjectURL(url);
    throw error;
  }
}

export async function resizePhoto(file: Blob, maxSide = 1600, quality = 0.82): Promise<ResizedPhoto> {
  let decoded;
  try {
    decoded = await decode(file);
  } catch {
    return { blob: file, width: 0, height: 0, resized: false };
  }
  try {
    const { width, height } = fitWithin(decoded.width, decoded.height, maxSide);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d');
    if (!g) return { blob: file, width: decoded.width, height: decoded.height, resized: false };
    g.fillStyle = '#fff'; // transparent PNGs become white, not black, as JPEG
    g.fillRect(0, 0, width, height);
    g.drawImage(decoded.source, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (!blob || (blob.size >= file.size && file.type === 'image/jpeg')) return { blob: file, width: decoded.width, height: decoded.height, resized: false };
    return { blob, width, height, resized: true };
  } finally {
    decoded.close();
  }
}
