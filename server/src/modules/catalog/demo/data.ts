/**
 * The demo catalog of the demo city (深圳): retained proofs, intermediary services, search
 * synonyms and service items. Pure typed data; `seed.ts` writes it through the CatalogService.
 * Items live in one file per department (`items-*.ts`) and refer to proofs, intermediaries,
 * halls and departments by code or name; `resolve.ts` turns those into ids.
 */
import { MARKET_ITEMS } from './items-market.js';
import { PLANNING_ITEMS } from './items-planning.js';
import { POLICE_ITEMS } from './items-police.js';
import { HRSS_ITEMS } from './items-hrss.js';
import { HEALTH_ITEMS } from './items-health.js';
import { HOUSING_ITEMS } from './items-housing.js';
import { DATA_ITEMS } from './items-data.js';
import { DISTRICT_ITEMS } from './items-district.js';
import { TAX_ITEMS } from './items-tax.js';
import { DEVELOPMENT_ITEMS } from './items-development.js';
import { ECOLOGY_ITEMS } from './items-ecology.js';
import type { DemoIntermediary, DemoItem, DemoProof, DemoSynonym } from './types.js';

export type { DemoIntermediary, DemoItem, DemoItemContent, DemoMaterial, DemoProof, DemoSynonym } from './types.js';

/**
 * 保留证明事项清单 (seed §8-9). Only proofs that survive the clean-up: each has a legal basis, is
 * issued by a body the requesting department cannot query online, and cannot be replaced by the
 * applicant's own licenses or a written commitment. Proofs the platform can verify by data
 * sharing (户籍、婚姻登记、社保参保、学历、不动产 …) are deliberately absent.
 */
export const DEMO_PROOFS: DemoProof[] = [
  {
    code: 'SZZM001',
    name: '出生医学证明',
    legalBasis: '《中华人民共和国母婴保健法》第二十三条；《中华人民共和国户口登记条例》第七条',
    requestingUnit: '公安机关户政管理部门（出生登记）',
    issuingUnit: '新生儿出生的助产医疗机构',
    guide: '由新生儿出生的助产医疗机构签发。已签发电子出生医学证明的，办理出生登记时通过电子证照调取，无需提交纸质件。',
  },
  {
    code: 'SZZM002',
    name: '死亡医学证明（推断）书',
    legalBasis: '《国家卫生计生委 公安部 民政部关于进一步规范人口死亡医学证明和信息登记管理工作的通知》（国卫规划发〔2013〕57号）',
    requestingUnit: '公安机关户政管理部门（户口注销）、社会保险经办机构（丧葬补助金、抚恤金）、不动产登记机构（继承）',
    issuingUnit: '负责救治或正常死亡调查的医疗卫生机构；非正常死亡由公安机关出具死亡证明',
    guide: '在医疗卫生机构内死亡的由该机构出具；在家中等非医疗机构正常死亡的，由所在地社区卫生服务机构调查后出具。非正常死亡由公安机关出具。',
  },
  {
    code: 'SZZM003',
    name: '无犯罪记录证明',
    legalBasis: '《公安机关办理犯罪记录查询工作规定》（公通字〔2021〕19号）；《中华人民共和国医师法》第十六条',
    requestingUnit: '法律法规明确要求审查犯罪记录的事项的主管部门，如卫生健康部门（医师执业注册中核查不予注册情形，且无法通过公安数据共享核验的）',
    issuingUnit: '申请人户籍地或居住地公安派出所（可通过“粤省事”“i深圳”在线申请）',
    guide: '仅限法律、行政法规明确规定须审查犯罪记录的事项索要，其他事项不得要求提供。本市户籍或居住证持有人可在线申请，3个工作日内出具电子证明。',
  },
  {
    code: 'SZZM004',
    name: '本人无配偶证明（涉外、涉港澳台婚姻登记）',
    legalBasis: '《婚姻登记条例》第五条',
    requestingUnit: '婚姻登记机关',
    issuingUnit: '香港、澳门居民由当地公证机构出具；台湾居民由台湾公证机构出具；华侨由居住国公证机构或我国驻该国使（领）馆出具；外国人由所在国公证机构或外交机关出具并经认证',
    guide: '内地居民之间的婚姻登记不再要求提供婚姻状况证明，由婚姻登记机关通过婚姻登记信息系统核查。本证明仅适用于一方为港澳台居民、华侨或外国人的婚姻登记。',
  },
  {
    code: 'SZZM005',
    name: '疾病诊断证明书',
    legalBasis: '《社会救助暂行办法》第四十七条；《广东省社会救助条例》',
    requestingUnit: '民政部门（因重大疾病申请临时救助、医疗救助）',
    issuingUnit: '二级以上医疗机构',
    guide: '因家庭成员突发重大疾病申请临时救助的，提供就诊医疗机构出具的疾病诊断证明书。已通过医疗保障信息平台共享住院结算信息的，无需重复提供。',
  },
  {
    code: 'SZZM006',
    name: '职业病诊断证明书',
    legalBasis: '《中华人民共和国职业病防治法》；《工伤保险条例》第十八条',
    requestingUnit: '人力资源社会保障部门（工伤认定）',
    issuingUnit: '取得职业病诊断资质的医疗卫生机构',
    guide: '因职业病申请工伤认定的，提交职业病诊断机构出具的职业病诊断证明书或职业病诊断鉴定书。',
  },
  {
    code: 'SZZM007',
    name: '从业人员健康合格证明',
    legalBasis: '《公共场所卫生管理条例》第七条；《公共场所卫生管理条例实施细则》第十条',
    requestingUnit: '卫生健康部门（公共场所卫生许可）',
    issuingUnit: '具备从业人员健康检查资质的医疗卫生机构',
    guide: '公共场所直接为顾客服务的从业人员须取得有效的健康合格证明后方可上岗，申请卫生许可时提交从业人员健康合格证明一览表，原件备查。',
  },
  {
    code: 'SZZM008',
    name: '见义勇为事迹证明',
    legalBasis: '《广东省见义勇为人员奖励和保障条例》；《深圳经济特区见义勇为人员奖励和保障条例》',
    requestingUnit: '公安机关（见义勇为人员确认与奖励）',
    issuingUnit: '事发地公安派出所，或见证单位、村（居）民委员会',
    guide: '写明事发时间、地点、经过及行为人所起作用，由事发地公安派出所或见证单位盖章。已由公安机关立案调查的，以案件材料代替，无需另行开具。',
  },
  {
    code: 'SZZM009',
    name: '登记备案国家工作人员因私出入境审批意见',
    legalBasis: '《中华人民共和国出境入境管理法》第九条；《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》',
    requestingUnit: '公安机关出入境管理部门',
    issuingUnit: '申请人所在单位或上级主管部门的组织人事部门',
    guide: '仅适用于已在公安机关出入境管理部门登记备案的国家工作人员，其他申请人无需提供。',
  },
  {
    code: 'SZZM010',
    name: '境外居住人员领取养老金资格证明（生存证明）',
    legalBasis: '《中华人民共和国社会保险法》第十条；《人力资源社会保障部办公厅关于做好取消社会保险待遇领取资格集中认证后相关工作的通知》',
    requestingUnit: '社会保险经办机构（养老保险待遇领取资格确认）',
    issuingUnit: '我国驻居住国使（领）馆，或居住国公证机构（须经使领馆认证）',
    guide: '仅适用于居住在境外、无法通过人脸识别等方式远程认证的养老金领取人员，每年提供一次。',
  },
  {
    code: 'SZZM011',
    name: '交通事故认定书或火灾事故认定书',
    legalBasis: '《中华人民共和国道路交通安全法》第七十三条；《中华人民共和国消防法》第五十一条；《社会救助暂行办法》第四十七条',
    requestingUnit: '民政部门（因意外事件申请临时救助）',
    issuingUnit: '公安机关交通管理部门；消防救援机构',
    guide: '因交通事故、火灾等意外事件申请临时救助的提供。事故尚未认定的，可先行申请，认定后补交。',
  },
  {
    code: 'SZZM012',
    name: '亲子关系鉴定意见书（无出生医学证明的出生登记）',
    legalBasis: '《国务院办公厅关于解决无户口人员登记户口问题的意见》（国办发〔2015〕96号）',
    requestingUnit: '公安机关户政管理部门（出生登记）',
    issuingUnit: '具有相应资质的司法鉴定机构',
    guide: '仅适用于未办理出生医学证明、申请出生登记的情形。有出生医学证明的不得要求提供。',
  },
];

/** 中介服务事项清单 (seed §22-25): intermediary services an approval may require, with fees. */
export const DEMO_INTERMEDIARIES: DemoIntermediary[] = [
  {
    code: 'SZZJ001',
    name: '建设工程规划验收测量',
    legalBasis: '《中华人民共和国城乡规划法》第四十五条；《中华人民共和国测绘法》第二十七条',
    feeStandard: '市场调节价，由委托双方参照《测绘生产成本费用定额》协商确定。',
    providerRequirements: '具有工程测量乙级及以上测绘资质的测绘单位，已入驻深圳市中介服务网上超市。',
  },
  {
    code: 'SZZJ002',
    name: '房产测绘（预测绘、实测绘）',
    legalBasis: '《房产测绘管理办法》（建设部、国家测绘局令第83号）；《不动产登记暂行条例实施细则》',
    feeStandard: '市场调节价，由委托双方协商确定。',
    providerRequirements: '具有不动产测绘资质的测绘单位，成果经不动产登记机构审核入库。',
  },
  {
    code: 'SZZJ003',
    name: '环境影响报告书（表）编制',
    legalBasis: '《中华人民共和国环境影响评价法》第十六条、第十九条',
    feeStandard: '市场调节价（《国家发展改革委关于放开部分建设项目服务收费标准有关问题的通知》，发改价格〔2015〕299号）。',
    providerRequirements: '在全国环境影响评价信用平台备案、无失信记录的技术单位；编制主持人须为环境影响评价工程师。',
  },
  {
    code: 'SZZJ004',
    name: '地质灾害危险性评估',
    legalBasis: '《地质灾害防治条例》第二十一条',
    feeStandard: '市场调节价，由委托双方协商确定。',
    providerRequirements: '具有相应等级地质灾害危险性评估资质的单位。',
  },
  {
    code: 'SZZJ005',
    name: '房屋安全鉴定',
    legalBasis: '《城市危险房屋管理规定》；《深圳市房屋安全管理办法》',
    feeStandard: '市场调节价；经鉴定属危险房屋的，鉴定费由所有人承担。',
    providerRequirements: '具备房屋安全鉴定能力、在市住房和建设部门公布名录内的鉴定机构。',
  },
  {
    code: 'SZZJ006',
    name: '施工图设计文件审查',
    legalBasis: '《建设工程质量管理条例》第十一条；《房屋建筑和市政基础设施工程施工图设计文件审查管理办法》',
    feeStandard: '政府购买服务，建设单位不支付审查费用。',
    providerRequirements: '经省住房和城乡建设主管部门认定的施工图审查机构。',
  },
  {
    code: 'SZZJ007',
    name: '特种设备监督检验',
    legalBasis: '《中华人民共和国特种设备安全法》第二十五条；《特种设备安全监察条例》',
    feeStandard: '政府指导价，按广东省发展改革部门核定的特种设备检验检测收费标准执行。',
    providerRequirements: '经国务院或省级特种设备安全监督管理部门核准的特种设备检验机构。',
  },
  {
    code: 'SZZJ008',
    name: '公共场所卫生检测',
    legalBasis: '《公共场所卫生管理条例实施细则》第十九条、第二十二条',
    feeStandard: '市场调节价，由委托双方协商确定。',
    providerRequirements: '取得检验检测机构资质认定（CMA）、检测能力覆盖公共场所卫生指标的机构。',
  },
  {
    code: 'SZZJ009',
    name: '水土保持方案编制',
    legalBasis: '《中华人民共和国水土保持法》第二十五条',
    feeStandard: '市场调节价（发改价格〔2015〕299号）。',
    providerRequirements: '具备水土保持方案编制能力的技术单位，遵守水土保持方案编制单位信用管理规定。',
  },
];

/** Colloquial → official terms for the search index (智能导办: citizens search in their own words). */
export const DEMO_SYNONYMS: DemoSynonym[] = [
  { term: '开公司', expansions: ['企业设立登记', '营业执照', '开办企业'] },
  { term: '注册公司', expansions: ['企业设立登记', '营业执照'] },
  { term: '办营业执照', expansions: ['营业执照', '设立登记'] },
  { term: '开店', expansions: ['个体工商户设立登记', '食品经营许可'] },
  { term: '个体户', expansions: ['个体工商户'] },
  { term: '改公司名', expansions: ['企业变更登记'] },
  { term: '换法人', expansions: ['企业变更登记', '法定代表人变更'] },
  { term: '关公司', expansions: ['企业注销登记', '简易注销'] },
  { term: '刻章', expansions: ['公章刻制备案', '印章'] },
  { term: '领发票', expansions: ['发票申领', '开办企业'] },
  { term: '开餐馆', expansions: ['食品经营许可'] },
  { term: '生孩子', expansions: ['生育登记', '出生登记'] },
  { term: '准生证', expansions: ['生育登记'] },
  { term: '上户口', expansions: ['户籍', '出生登记', '户口迁入'] },
  { term: '入户', expansions: ['户口迁入', '人才引进'] },
  { term: '落户', expansions: ['户口迁入', '人才引进'] },
  { term: '毕业生落户', expansions: ['人才引进', '应届毕业生接收'] },
  { term: '退休', expansions: ['养老保险', '退休', '基本养老金'] },
  { term: '领养老金', expansions: ['基本养老金', '养老保险待遇'] },
  { term: '社保卡', expansions: ['社会保障卡'] },
  { term: '交社保', expansions: ['社会保险登记', '参保登记'] },
  { term: '自己交社保', expansions: ['灵活就业人员参保登记'] },
  { term: '失业金', expansions: ['失业保险金'] },
  { term: '失业', expansions: ['失业保险金', '就业创业证'] },
  { term: '居住证', expansions: ['居住证签注', '居住证'] },
  { term: '暂住证', expansions: ['居住证'] },
  { term: '港澳通行证', expansions: ['往来港澳通行证', '签注'] },
  { term: '去香港', expansions: ['往来港澳通行证', '签注'] },
  { term: '换身份证', expansions: ['居民身份证换领'] },
  { term: '无犯罪证明', expansions: ['无犯罪记录证明'] },
  { term: '买房', expansions: ['不动产转移登记', '商品房预售'] },
  { term: '卖房', expansions: ['不动产转移登记'] },
  { term: '过户', expansions: ['不动产转移登记'] },
  { term: '房产证', expansions: ['不动产权证书', '不动产首次登记', '不动产转移登记'] },
  { term: '还完房贷', expansions: ['抵押权注销登记'] },
  { term: '解押', expansions: ['抵押权注销登记'] },
  { term: '查房产', expansions: ['不动产登记资料查询'] },
  { term: '租房备案', expansions: ['房屋租赁登记备案'] },
  { term: '公租房', expansions: ['公共租赁住房'] },
  { term: '盖房子', expansions: ['建设工程规划许可', '建筑工程施工许可'] },
  { term: '报建', expansions: ['建设工程规划许可', '建筑工程施工许可'] },
  { term: '卖楼花', expansions: ['商品房预售许可'] },
  { term: '老人补贴', expansions: ['高龄老人津贴'] },
  { term: '高龄补贴', expansions: ['高龄老人津贴'] },
  { term: '低保', expansions: ['最低生活保障'] },
  { term: '困难补助', expansions: ['临时救助', '最低生活保障'] },
  { term: '五保', expansions: ['特困人员救助供养'] },
  { term: '医生执照', expansions: ['医师执业注册'] },
  { term: '护士证', expansions: ['护士执业注册'] },
  { term: '开诊所', expansions: ['医疗机构执业登记'] },
  { term: '开美容院', expansions: ['公共场所卫生许可'] },
  { term: '电梯登记', expansions: ['特种设备使用登记'] },
  { term: '专利纠纷', expansions: ['专利侵权纠纷行政裁决'] },
  { term: '土地纠纷', expansions: ['土地权属争议裁决'] },
  { term: '做好事奖励', expansions: ['见义勇为人员奖励'] },
  { term: '政府数据', expansions: ['公共数据开放'] },
];

/** The demo service items (事项), one file per department. */
export const DEMO_ITEMS: DemoItem[] = [
  ...MARKET_ITEMS,
  ...POLICE_ITEMS,
  ...HRSS_ITEMS,
  ...HEALTH_ITEMS,
  ...PLANNING_ITEMS,
  ...HOUSING_ITEMS,
  ...TAX_ITEMS,
  ...DEVELOPMENT_ITEMS,
  ...ECOLOGY_ITEMS,
  ...DATA_ITEMS,
  ...DISTRICT_ITEMS,
];
