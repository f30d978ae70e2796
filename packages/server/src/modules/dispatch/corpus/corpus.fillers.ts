/**
 * Slot fillers, framings, side issues and noise used by corpus.generate.ts. Place names are made up
 * in the style of Luohe (漯河) streets, compounds and villages; they are not a gazetteer.
 */

export const PLACES: Readonly<Record<string, readonly string[]>> = {
  小区: [
    '幸福家园小区', '阳光花园', '金色港湾小区', '锦绣华城', '森林半岛', '昌建誉峰', '天明城',
    '东方红小区', '电业局家属院', '纺织厂家属院', '水利局家属院', '老粮食局家属院', '澧河湾小区',
    '盛世华庭', '福星花园', '书香苑', '颐和小区', '嵩山路一号院', '滨河名苑', '银鸽小区',
    '交通路东方家园', '黄河新村', '翰林苑', '帝景城', '老烟厂宿舍', '人民路三号院', '沙澧春天',
    '我们小区', '俺们院里', '这个小区',
  ],
  路: [
    '人民路', '黄河路', '嵩山路', '太行山路', '交通路', '解放路', '滨河路', '泰山路', '长江路',
    '淞江路', '金山路', '海河路', '燕山路', '天山路', '井冈山路', '珠江路', '黄山路', '衡山路',
    '沙澧大道', '107国道', '龙江路', '湘江路', '祁山路', '五一路', '文化路', '建设路', '柳江路',
    '马路街', '老街', '这条路', '门口这条街',
  ],
  村: [
    '后谢村', '姬石村', '阴阳赵村', '大刘村', '王庄村', '前进村', '小李庄', '孙庄村', '郭庄村',
    '李集村', '裴城村', '问十村', '孟庙村', '黑龙潭村', '七里村', '西张村', '邓襄村', '空冢郭村',
    '俺村', '我们村', '村里',
  ],
  市场: [
    '黄河路菜市场', '西城菜市场', '新世纪农贸市场', '老街早市', '交通路夜市', '嵩山路菜市场',
    '建设路农贸市场', '城关集贸市场', '菜市场', '早市',
  ],
  学校: [
    '实验小学', '第二中学', '城关镇中心小学', '育才幼儿园', '第五初级中学', '解放路小学',
    '外国语学校', '第三高级中学', '向阳幼儿园', '村小学', '孩子学校',
  ],
  医院: [
    '市中心医院', '人民医院', '中医院', '社区卫生服务中心', '镇卫生院', '妇幼保健院', '第二人民医院',
    '骨科医院', '区医院',
  ],
  店: [
    '一家烩面馆', '老王烧烤', '胡辣汤店', '一家火锅店', '楼下的快餐店', '小吃店', '一家饺子馆',
    '黄焖鸡米饭店', '夜市烧烤摊', '一家卤肉店', '蛋糕店', '一家奶茶店',
  ],
};

/** District and street/town, used as the caller's or worker's location. */
export const DISTRICTS = ['源汇区', '郾城区', '召陵区', '舞阳县', '临颍县', '经开区', '西城区'];
export const STREETS = [
  '马路街街道', '顺河街道', '老街街道', '干河陈街道', '沙北街道', '城关镇', '天桥街道', '翟庄街道',
  '孟庙镇', '黑龙潭镇', '裴城镇', '大刘镇', '问十乡', '阴阳赵镇', '新店镇', '空冢郭镇',
];

/** Framings: `{t}` is the seed text, `{区}` a district + street. */
export const FRAMINGS = {
  /** Citizen calling, writing in the app, or posting online — first person is fine. */
  citizen: [
    '{t}', '{t}', '你好，{t}', '我要投诉，{t}', '{t}，希望尽快处理', '{t}，有没有人管管啊', '{t}！！',
    '反映个问题：{t}', '{t}，打了好几次电话都没人来', '俺想反映一下，{t}', '{t}，麻烦相关部门来看看',
    '您好，我是{区}的，{t}', '{t}。拍了照片，在附件里', '随手拍：{t}', '{t}，到底归谁管？',
    '第三次反映了！{t}', '{t}，已经一个多星期了', '喂，12345吗，{t}', '网友留言：{t}',
    '{t}，影响很大，请领导重视', '急！{t}', '{t}，希望政府管一管', '漯小智上报：{t}',
  ],
  /** Hotline operator's record of a call. */
  operator: [
    '来电人反映：{t}，诉求：尽快处理。', '市民来电称{t}，要求相关部门核实处理。',
    '来电人称其位于{区}，{t}。来电人要求尽快解决。', '【12345】来电反映{t}，请核实办理。',
    '{区}群众来电：{t}。请属地及相关部门处理并回复来电人。', '来电人反映{t}，此前已多次反映未解决。',
    '工单：{t}。来电人希望相关部门尽快处理，要求回电。', '市民反映，{t}，请核实。',
    '来电人诉求：{t}', '网民通过政务平台留言：{t}',
  ],
  /** Grid worker's report from a patrol or a household visit (third person). */
  worker: [
    '网格员巡查发现：{t}，已拍照上报。', '网格员入户走访时群众反映{t}。', '{区}第{n}网格：{t}，需要职能部门处置。',
    '巡查上报：{t}', '网格员日常巡查，{t}，现场无法处置，提请上级协调。', '{区}网格员上报，{t}。',
    '走访中居民反映：{t}，请相关单位处理。', '第{n}网格巡查：{t}', '村网格员反映{t}，村里解决不了。',
  ],
  enquiry: [
    '{t}', '{t}？', '你好，{t}', '来电人咨询：{t}', '市民来电咨询{t}，请相关部门答复。', '{t}，谢谢',
    '我想问一下，{t}', '网友提问：{t}', '{区}居民咨询，{t}', '麻烦问一下{t}，打了几个电话都没问清楚',
  ],
  suggestion: [
    '{t}', '网友建议：{t}', '人民建议征集：{t}', '{t}，希望领导采纳', '来电人建议：{t}。',
    '我是{区}的居民，{t}', '{t}，这是老百姓的心声', '提个建议，{t}', '市民通过留言板建议：{t}',
  ],
} as const;

/** A sentence added to give any report more length and context. */
export const DETAILS = [
  '之前打过电话，一直没解决', '拍了照片可以发过来', '希望尽快派人来看看', '不是第一次了',
  '社区说管不了', '请给个答复', '麻烦尽快', '要求回电', '找了好几个部门都推来推去',
];

/** Context sentences that only fit problems tied to a place (not wages, benefits, schools…). */
export const PLACE_DETAILS = [
  '已经持续一个多星期了', '家里有老人小孩', '附近居民意见很大', '这个问题好几年了', '晚上特别明显',
  '周边好几户都是这个情况', '每天上下班都经过这里',
];

/** Categories whose reports are about a place, so a side issue about the same place reads naturally. */
export const PLACE_CATEGORIES: ReadonlySet<string> = new Set([
  'environment_sanitation', 'illegal_construction', 'road_facilities', 'traffic', 'greening', 'noise',
  'pollution', 'public_security', 'safety_hazard', 'pets_animals', 'water_supply', 'power_supply',
  'gas_supply', 'heating', 'property_dispute', 'neighbour_dispute',
]);

/** Side issues mentioned in passing (mixed reports keep the first issue's label). */
export const SIDE_ISSUES: Readonly<Record<string, readonly string[]>> = {
  environment_sanitation: ['另外门口的垃圾也好几天没人收了', '旁边垃圾堆得老高'],
  road_facilities: ['顺便说一下，门口的路灯也坏了', '还有那个井盖也松了', '路上坑也多'],
  traffic: ['门口还老有车乱停', '公交也不好坐'],
  noise: ['晚上还吵得很', '白天晚上都有噪音'],
  pollution: ['空气里还有股怪味', '灰也大'],
  greening: ['旁边的树也该修剪了'],
  property_dispute: ['物业也不管', '跟物业说了没用'],
  power_supply: ['上周还停了一次电'],
  water_supply: ['这两天还停过水'],
  pets_animals: ['小区里流浪狗也多'],
  safety_hazard: ['楼道里还有人给电动车充电'],
  public_security: ['最近还丢了好几辆电动车'],
  market_order: ['旁边的店还乱要价'],
  heating: ['冬天暖气也不热'],
  illegal_construction: ['旁边还有人在盖违建'],
  neighbour_dispute: ['跟邻居也因为这事吵过'],
};

/** Typos and homophones seen in typed reports: [correct, as typed]. */
export const TYPOS: readonly (readonly [string, string])[] = [
  ['垃圾', '拉圾'], ['噪音', '躁音'], ['反映', '反应'], ['已经', '以经'], ['再', '在'], ['暖气', '暖汽'],
  ['工资', '工姿'], ['物业', '物页'], ['投诉', '投述'], ['处理', '处里'], ['井盖', '井概'], ['路灯', '路登'],
  ['小区', '小曲'], ['停电', '停点'], ['欠薪', '欠新'], ['油烟', '油眼'], ['施工', '师工'], ['管理', '管里'],
  ['的', '得'], ['那', '哪'], ['账', '帐'], ['像', '象'], ['做', '作'], ['坐', '座'], ['扰民', '绕民'],
  ['违建', '违见'], ['电梯', '店梯'], ['卫生', '为生'], ['补贴', '补帖'], ['漏水', '露水'],
];

/** Henan colloquialisms: [standard, dialect]. */
export const DIALECT: readonly (readonly [string, string])[] = [
  ['我们', '俺们'], ['我家', '俺家'], ['什么', '啥'], ['怎么', '咋'], ['没有', '木有'], ['很', '可'],
  ['你们', '恁'], ['不行', '不中'], ['这样', '这样儿'],
];
