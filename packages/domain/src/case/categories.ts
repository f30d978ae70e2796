/**
 * Case categories 事项类别 with their default responsible department (the Dispatch issue's routing and
 * classifier refine this) and whether a citizen must call 110/119/120 first (emergency).
 */
export interface CategoryInfo {
  id: string;
  zh: string;
  en: string;
  /** Default responsible department id (see the demo's departments). */
  department: string;
  /** Family used to find similar cases. */
  family: 'city' | 'environment' | 'market' | 'safety' | 'utility' | 'social' | 'dispute' | 'service';
  emergency?: boolean;
}

export const CATEGORIES: readonly CategoryInfo[] = [
  { id: 'environment_sanitation', zh: '环境卫生', en: 'Sanitation', department: 'urban_management', family: 'city' },
  { id: 'illegal_construction', zh: '违法建设', en: 'Illegal construction', department: 'urban_management', family: 'city' },
  { id: 'road_facilities', zh: '道路设施', en: 'Roads and street furniture', department: 'housing_construction', family: 'city' },
  { id: 'traffic', zh: '交通出行', en: 'Traffic', department: 'transport', family: 'city' },
  { id: 'noise', zh: '噪音扰民', en: 'Noise', department: 'ecology_environment', family: 'environment' },
  { id: 'pollution', zh: '环境污染', en: 'Pollution', department: 'ecology_environment', family: 'environment' },
  { id: 'food_safety', zh: '食品安全', en: 'Food safety', department: 'market_supervision', family: 'market' },
  { id: 'market_order', zh: '市场秩序/消费维权', en: 'Market order and consumer rights', department: 'market_supervision', family: 'market' },
  { id: 'public_security', zh: '治安隐患', en: 'Public order', department: 'public_security', family: 'safety' },
  { id: 'safety_hazard', zh: '安全隐患', en: 'Safety hazard', department: 'emergency_management', family: 'safety' },
  { id: 'fire', zh: '火情', en: 'Fire', department: 'emergency_management', family: 'safety', emergency: true },
  { id: 'gas_leak', zh: '燃气泄漏', en: 'Gas leak', department: 'gas_company', family: 'safety', emergency: true },
  { id: 'crime_in_progress', zh: '正在发生的违法犯罪', en: 'Crime in progress', department: 'public_security', family: 'safety', emergency: true },
  { id: 'injury', zh: '人员受伤', en: 'Injury', department: 'health', family: 'safety', emergency: true },
  { id: 'water_supply', zh: '供水', en: 'Water supply', department: 'water_company', family: 'utility' },
  { id: 'power_supply', zh: '供电', en: 'Power supply', department: 'power_company', family: 'utility' },
  { id: 'gas_supply', zh: '燃气', en: 'Gas supply', department: 'gas_company', family: 'utility' },
  { id: 'heating', zh: '供暖', en: 'Heating', department: 'heating_company', family: 'utility' },
  { id: 'property_dispute', zh: '物业纠纷', en: 'Property management dispute', department: 'housing_construction', family: 'dispute' },
  { id: 'neighbour_dispute', zh: '邻里纠纷', en: 'Neighbour dispute', department: 'justice', family: 'dispute' },
  { id: 'labour_wages', zh: '劳资欠薪', en: 'Unpaid wages', department: 'human_resources', family: 'dispute' },
  { id: 'social_assistance', zh: '社会救助', en: 'Social assistance', department: 'civil_affairs', family: 'social' },
  { id: 'health_service', zh: '医疗卫生', en: 'Health services', department: 'health', family: 'social' },
  { id: 'education', zh: '教育', en: 'Education', department: 'education', family: 'social' },
  { id: 'pets_animals', zh: '动物/宠物', en: 'Animals and pets', department: 'public_security', family: 'city' },
  { id: 'greening', zh: '园林绿化', en: 'Greening', department: 'urban_management', family: 'city' },
  { id: 'enquiry', zh: '政策咨询', en: 'Enquiry', department: 'petition_bureau', family: 'service' },
  { id: 'suggestion', zh: '建议', en: 'Suggestion', department: 'development_reform', family: 'service' },
];

export const CATEGORY_BY_ID: ReadonlyMap<string, CategoryInfo> = new Map(CATEGORIES.map((c) => [c.id, c]));
