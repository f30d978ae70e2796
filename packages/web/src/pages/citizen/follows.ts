/** Cases a citizen follows instead of reporting them again 关注, kept on the device. */
const KEY = 'gridloop.citizen.follows';

export interface Followed {
  id: string;
  number: string;
  category: string;
  since: string;
}

export function follows(): Followed[] {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Followed[]) : [];
  } catch {
    return [];
  }
}

export function follow(id: string, number: string, category: string): void {
  const list = follows().filter((f) => f.id !== id);
  list.unshift({ id, number, category, since: new Date().toISOString() });
  localStorage.setItem(KEY, JSON.stringify(list.slice(0, 50)));
}

export function unfollow(id: string): void {
  localStorage.setItem(KEY, JSON.stringify(follows().filter((f) => f.id !== id)));
}
