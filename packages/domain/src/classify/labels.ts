/**
 * The labels the dispatch classifier predicts: 24 case categories (the non-emergency ones of
 * case/categories.ts; emergencies go to 110/119/120 first and are not routed by text) and the
 * departments of the Luohe demo plus utilities, property managers and telecom operators.
 */
import { CATEGORY_BY_ID } from '../case/categories.ts';

export const CLASSIFIER_CATEGORIES = [
  'environment_sanitation', 'illegal_construction', 'road_facilities', 'traffic', 'noise', 'pollution',
  'food_safety', 'market_order', 'public_security', 'safety_hazard', 'water_supply', 'power_supply',
  'gas_supply', 'heating', 'property_dispute', 'neighbour_dispute', 'labour_wages', 'social_assistance',
  'health_service', 'education', 'pets_animals', 'greening', 'enquiry', 'suggestion',
] as const;
export type ClassifierCategory = (typeof CLASSIFIER_CATEGORIES)[number];

export const CLASSIFIER_DEPARTMENTS: Readonly<Record<string, string>> = {
  urban_management: '城市管理局', ecology_environment: '生态环境局', housing_construction: '住房和城乡建设局',
  market_supervision: '市场监督管理局', public_security: '公安局', emergency_management: '应急管理局',
  water_resources: '水利局', transport: '交通运输局', health: '卫生健康委员会', education: '教育局',
  civil_affairs: '民政局', human_resources: '人力资源和社会保障局', natural_resources: '自然资源和规划局',
  agriculture: '农业农村局', culture_tourism: '文化广电和旅游局', commerce: '商务局', justice: '司法局',
  finance: '财政局', development_reform: '发展和改革委员会', industry_it: '工业和信息化局',
  veterans: '退役军人事务局', medical_security: '医疗保障局', forestry: '林业局', petition_bureau: '信访局',
  water_company: '自来水公司', power_company: '供电公司', gas_company: '燃气公司', heating_company: '热力公司',
  telecom: '通信运营商', property_management: '物业服务企业',
};

/** Default responsible department per category (from case/categories.ts, the single source). */
export const DEFAULT_DEPARTMENT: Readonly<Record<ClassifierCategory, string>> = Object.fromEntries(
  CLASSIFIER_CATEGORIES.map((id) => {
    const info = CATEGORY_BY_ID.get(id);
    if (!info) throw new Error(`category ${id} missing from CATEGORIES`);
    return [id, info.department];
  }),
) as Record<ClassifierCategory, string>;

export const isClassifierCategory = (id: string): id is ClassifierCategory =>
  (CLASSIFIER_CATEGORIES as readonly string[]).includes(id);
