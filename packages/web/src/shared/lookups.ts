/** Reference data the pages share, loaded once per page: categories and departments. */
import { ref } from 'vue';
import { api } from './api.ts';
import { pick } from './i18n.ts';
import type { CategoryView, DepartmentView, Page } from './types.ts';

export const categories = ref<CategoryView[]>([]);
export const departments = ref<DepartmentView[]>([]);

let categoriesLoading: Promise<void> | null = null;
export function loadCategories(): Promise<void> {
  categoriesLoading ??= api.get<CategoryView[]>('/api/categories').then(
    (list) => {
      categories.value = list;
    },
    (error: unknown) => {
      categoriesLoading = null;
      throw error;
    },
  );
  return categoriesLoading;
}

let departmentsLoading: Promise<void> | null = null;
/** Staff read the departments; citizens get the public directory of names instead. */
export function loadDepartments(): Promise<void> {
  departmentsLoading ??= api.get<Page<DepartmentView> | DepartmentView[]>('/api/departments', { query: { limit: 500 } }).then(
    (res) => {
      departments.value = Array.isArray(res) ? res : res.items;
    },
    async (error: unknown) => {
      if ((error as { status?: number }).status !== 403) throw error;
      const names = await api.get<{ id: string; name: string; nameEn: string | null }[]>('/api/stats/directory');
      departments.value = names.map((d) => ({ id: d.id, name: d.name, name_en: d.nameEn, kind: '', level: '', region_code: '', created_at: '' }));
    },
  ).then(
    () => undefined,
    (error: unknown) => {
      departmentsLoading = null;
      throw error;
    },
  );
  return departmentsLoading;
}

export function categoryName(id: string): string {
  const c = categories.value.find((x) => x.id === id);
  return c ? pick(c.zh, c.en) : id;
}

export function departmentName(id: string | null | undefined): string {
  if (!id) return '';
  const d = departments.value.find((x) => x.id === id);
  return d ? pick(d.name, d.name_en) : id;
}

/**
 * The department a category goes to by default: categories name a department by its slug
 * (`urban_management`); the demo's departments carry ids like `dept-urban_management` or an
 * English name. The Dispatch issue's routing replaces this hint when present.
 */
export function suggestedDepartment(categoryId: string): DepartmentView | null {
  const c = categories.value.find((x) => x.id === categoryId);
  if (!c) return null;
  const slug = c.department.toLowerCase();
  const words = slug.split('_');
  return (
    departments.value.find((d) => d.id.toLowerCase() === slug) ??
    departments.value.find((d) => d.id.toLowerCase().endsWith(slug) || d.id.toLowerCase().includes(slug)) ??
    departments.value.find((d) => {
      const en = (d.name_en ?? '').toLowerCase();
      return en !== '' && words.every((w) => en.includes(w));
    }) ??
    null
  );
}
