/**
 * Seeds whose label the labelling rules (docs/dispatch.md, "Labelling rules 事项归类规则") put in
 * another category than the list they were written in: a review of every seed of the 17 report
 * categories against the rules, without model output and without regard to the split. The seed
 * keeps its place (index, split, generated wording); only its labels change.
 */
export interface Relabel {
  /** The seed's text, exactly as in its seed file. */
  text: string;
  from: string;
  to: string;
  department: string;
  /** The rule (1–8) that decides it. */
  rule: number;
}

export const RELABELS: readonly Relabel[] = [
  { from: 'environment_sanitation', to: 'pollution', department: 'ecology_environment', rule: 3, text: '路边一直有人焚烧落叶和垃圾' },
  { from: 'greening', to: 'power_supply', department: 'power_company', rule: 1, text: '修剪树枝的时候把电线都砸断了' },
  { from: 'market_order', to: 'food_safety', department: 'market_supervision', rule: 7, text: '{路}有家烟酒店卖的酒是假的，喝着跟酒精兑水一样' },
  { from: 'market_order', to: 'public_security', department: 'public_security', rule: 5, text: '网络贷款平台暴力催收，利息高得吓人' },
  { from: 'neighbour_dispute', to: 'illegal_construction', department: 'urban_management', rule: 2, text: '邻居在共用的院子里私自搭棚子，说了不听' },
  { from: 'neighbour_dispute', to: 'noise', department: 'public_security', rule: 3, text: '邻居家空调冷凝水滴在我家空调外机上，吵得睡不着' },
  { from: 'neighbour_dispute', to: 'pets_animals', department: 'public_security', rule: 4, text: '邻居在我家窗户底下养鸡，天天臭味' },
  { from: 'neighbour_dispute', to: 'pets_animals', department: 'public_security', rule: 4, text: '邻居家狗咬伤了我家孩子，现在协商医药费谈不拢' },
  { from: 'neighbour_dispute', to: 'pets_animals', department: 'agriculture', rule: 4, text: '邻居家的鸡跑到我家菜地里刨菜，说了好几次也不圈起来' },
  { from: 'neighbour_dispute', to: 'public_security', department: 'public_security', rule: 5, text: '和邻居因为停车位吵了几句，他把我车划了' },
  { from: 'neighbour_dispute', to: 'public_security', department: 'public_security', rule: 5, text: '楼上往下扔烟头，晾的衣服烫了好几个洞，找他也不承认' },
  { from: 'pets_animals', to: 'environment_sanitation', department: 'agriculture', rule: 3, text: '{村}有死猪被扔在沟里' },
  { from: 'pets_animals', to: 'environment_sanitation', department: 'urban_management', rule: 3, text: '宠物店把病死的狗扔在垃圾桶里' },
  { from: 'pets_animals', to: 'environment_sanitation', department: 'urban_management', rule: 3, text: '小区下水道里老鼠成群，还有黄鼠狼' },
  { from: 'pets_animals', to: 'environment_sanitation', department: 'urban_management', rule: 3, text: '有人在{小区}的花坛里埋了只死猫，味道出来了' },
  { from: 'pets_animals', to: 'environment_sanitation', department: 'urban_management', rule: 3, text: '死狗扔在{路}边，已经发臭了' },
  { from: 'pets_animals', to: 'market_order', department: 'market_supervision', rule: 7, text: '在{路}宠物店买的猫没几天就查出猫瘟死了，店家说是我们没养好' },
  { from: 'pets_animals', to: 'market_order', department: 'agriculture', rule: 7, text: '宠物医院没有资质，把我家的狗治死了' },
  { from: 'pets_animals', to: 'market_order', department: 'market_supervision', rule: 7, text: '宠物寄养店把我家的狗弄丢了，只说赔五百' },
  { from: 'pets_animals', to: 'market_order', department: 'market_supervision', rule: 7, text: '宠物店给狗洗澡把狗弄死了，店家不认账' },
  { from: 'pets_animals', to: 'market_order', department: 'market_supervision', rule: 7, text: '宠物诊所乱收费，给猫打个针收了八百' },
  { from: 'pets_animals', to: 'pollution', department: 'agriculture', rule: 3, text: '{村}有人在村里养了几百只鸡，臭味熏天' },
  { from: 'pets_animals', to: 'property_dispute', department: 'property_management', rule: 8, text: '物业在{小区}草坪里撒了灭鼠药也不贴告示，我家狗吃了差点没救过来' },
  { from: 'power_supply', to: 'greening', department: 'urban_management', rule: 1, text: '大风把树刮倒压在电线上，线都快断了' },
  { from: 'power_supply', to: 'market_order', department: 'market_supervision', rule: 7, text: '{市场}商户的电费是市场管理处转供的，一度电收一块五' },
  { from: 'power_supply', to: 'property_dispute', department: 'property_management', rule: 8, text: '{小区}公摊电费太高，物业说不清楚' },
  { from: 'power_supply', to: 'property_dispute', department: 'property_management', rule: 8, text: '{小区}电梯停电是因为物业没交电费' },
  { from: 'property_dispute', to: 'illegal_construction', department: 'natural_resources', rule: 2, text: '开发商把规划的幼儿园改成了商铺' },
  { from: 'property_dispute', to: 'illegal_construction', department: 'urban_management', rule: 2, text: '物业把小区的绿地改成停车位出租' },
  { from: 'property_dispute', to: 'safety_hazard', department: 'emergency_management', rule: 6, text: '物业随意占用消防通道做停车位收费' },
  { from: 'public_security', to: 'power_supply', department: 'power_company', rule: 1, text: '有人偷偷接了{小区}楼道电表箱里的电，用的是公共的电' },
  { from: 'public_security', to: 'property_dispute', department: 'property_management', rule: 8, text: '{小区}单元门的门禁坏了，外人随便进出，不安全' },
  { from: 'public_security', to: 'property_dispute', department: 'property_management', rule: 8, text: '{小区}的监控摄像头坏了，出了事都查不到' },
  { from: 'road_facilities', to: 'power_supply', department: 'power_company', rule: 1, text: '{路}人行道中间竖着一根废弃的电线杆，也没人拔' },
  { from: 'safety_hazard', to: 'gas_supply', department: 'gas_company', rule: 1, text: '燃气管道从{路}人行道里露出来了，没有任何保护' },
  { from: 'safety_hazard', to: 'greening', department: 'urban_management', rule: 1, text: '{路}边一棵大树被蛀空了，随时可能倒下来砸到人' },
  { from: 'safety_hazard', to: 'illegal_construction', department: 'natural_resources', rule: 2, text: '{村}有户人家在高压线底下盖二层楼，吊车的臂都快碰到线了' },
  { from: 'safety_hazard', to: 'illegal_construction', department: 'water_resources', rule: 2, text: '{村}的排洪沟被人填了盖房子，汛期肯定要淹' },
  { from: 'safety_hazard', to: 'illegal_construction', department: 'urban_management', rule: 2, text: '{路}边有人在地下燃气管道上面搭了个板房，标志桩都被压在底下了' },
  { from: 'safety_hazard', to: 'illegal_construction', department: 'urban_management', rule: 2, text: '液化气站边上有人搭棚子住' },
  { from: 'safety_hazard', to: 'pets_animals', department: 'forestry', rule: 4, text: '{学校}旁边树上的马蜂窝很大，孩子们都怕' },
  { from: 'safety_hazard', to: 'power_supply', department: 'power_company', rule: 1, text: '{学校}旁边的电线杆子斜了，电线垂到孩子够得着的地方' },
  { from: 'safety_hazard', to: 'power_supply', department: 'property_management', rule: 1, text: '{小区}的配电房门一直开着，里面还堆着杂物' },
  { from: 'safety_hazard', to: 'power_supply', department: 'power_company', rule: 1, text: '{村}变压器台子下面长满了杂草，夏天容易起火' },
  { from: 'safety_hazard', to: 'power_supply', department: 'power_company', rule: 1, text: '{村}头的变压器周围没有围栏，孩子们就在下面玩' },
  { from: 'safety_hazard', to: 'power_supply', department: 'power_company', rule: 1, text: '{路}的电线杆倾斜，电线垂得很低' },
  { from: 'safety_hazard', to: 'public_security', department: 'public_security', rule: 5, text: '{小区}有人高空抛物，差点砸到人' },
  { from: 'safety_hazard', to: 'road_facilities', department: 'housing_construction', rule: 1, text: '{学校}门口过街天桥的护栏松了，学生放学都靠在上面' },
  { from: 'safety_hazard', to: 'road_facilities', department: 'transport', rule: 1, text: '{村}的危桥还在走车，桥墩都裂了' },
  { from: 'safety_hazard', to: 'road_facilities', department: 'transport', rule: 1, text: '{村}边的桥墩被挖沙的掏空了一大块' },
  { from: 'safety_hazard', to: 'road_facilities', department: 'transport', rule: 1, text: '河上的漫水桥被水冲坏了一角，人还在上面走' },
];
