"""The organisations of one county: township and street committees, village and community
organisations, and the county's own systems (organs, schools, hospitals, enterprises and the
new-employment industry committee with riders, ride-hailing and truck drivers and couriers).

Shapes follow docs/rules.md §2: most villages have one branch; large ones a general branch or a
primary committee with branches under it.
"""

import random

from qiangji.core.validators import _USCC_ALPHABET, _USCC_WEIGHTS
from qiangji.tooling.generate.places import County
from qiangji.tooling.generate.tree import OrgSpec, Tree

ORDINALS = "一二三四五六七八九十"
GOVERNMENT_UNITS = (
    "县委办公室",
    "县政府办公室",
    "县纪委监委机关",
    "县委组织部",
    "县委宣传部",
    "县委统战部",
    "县委政法委",
    "县发展和改革局",
    "县教育和体育局",
    "县科学技术局",
    "县工业和信息化局",
    "县公安局",
    "县民政局",
    "县司法局",
    "县财政局",
    "县人力资源和社会保障局",
    "县自然资源局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县水利局",
    "县农业农村局",
    "县商务局",
    "县文化和旅游局",
    "县卫生健康局",
    "县退役军人事务局",
    "县应急管理局",
    "县审计局",
    "县市场监督管理局",
    "县统计局",
    "县医疗保障局",
    "县行政审批服务局",
    "县信访局",
    "县综合行政执法局",
    "县人民法院",
    "县人民检察院",
    "县总工会",
    "县团委",
    "县妇联",
    "县工商联",
    "县档案馆",
    "县融媒体中心",
    "县税务局",
    "县气象局",
    "县供销合作社",
    "县机关事务服务中心",
)
ENTERPRISE_WORDS = (
    "宏达",
    "鑫源",
    "恒信",
    "华润",
    "金穗",
    "银河",
    "润丰",
    "兴业",
    "瑞祥",
    "天成",
    "佳和",
    "永盛",
    "德隆",
    "嘉禾",
    "盛世",
    "海纳",
    "东升",
    "新亚",
    "万通",
    "富华",
    "汇丰",
    "利民",
    "昌盛",
    "泰和",
)
INDUSTRIES = (
    "纺织",
    "棉业",
    "食品",
    "机械",
    "建材",
    "物流",
    "商贸",
    "新材料",
    "电子",
    "农业科技",
    "家具",
    "化工",
    "生物科技",
    "汽车配件",
    "服装",
    "印务",
    "医药",
    "新能源",
)
STATE_ENTERPRISES = (
    "城市建设投资集团有限公司",
    "供电公司",
    "自来水有限公司",
    "农村商业银行",
    "交通运输集团有限公司",
    "国有资产运营有限公司",
    "粮食储备有限公司",
    "热力有限公司",
    "燃气有限公司",
    "公交有限公司",
)
NEW_EMPLOYMENT = (
    ("城区外卖骑手党支部", "rider", "branch"),
    ("外卖骑手第二党支部", "rider", "branch"),
    ("网约车司机党支部", "ride_hailing", "branch"),
    ("出租车和网约车司机联合党支部", "ride_hailing", "joint_branch"),
    ("货车司机党支部", "truck", "branch"),
    ("物流园货车司机党支部", "truck", "branch"),
    ("快递小哥流动党员党支部", "courier", "mobile_branch"),
    ("快递物流行业党支部", "courier", "branch"),
)


def credit_code(rng: random.Random, region: str) -> str:
    """A unified social credit code (GB 32100) with a correct check character and the county's code."""
    body = "91" + region + "".join(rng.choice(_USCC_ALPHABET) for _ in range(9))
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_ALPHABET[(31 - total % 31) % 31]


class CountyBuilder:
    """Adds one county's organisations under a city node."""

    def __init__(self, tree: Tree, place: County, rng: random.Random):
        self.tree, self.place, self.rng = tree, place, rng
        self.prefix = place.name

    def node(self, parent, name, kind, category, tag, **fields) -> OrgSpec | None:
        fields.setdefault("region_code", self.place.code)
        fields.setdefault("locality", getattr(parent, "locality", "") or self.place.townships[0].name)
        fields.setdefault("short_name", name[:60])
        full = name if name.startswith(self.prefix) or name.startswith("中共") else self.prefix + name
        return self.tree.add(parent, name=full, kind=kind, category=category, tag=tag, **fields)

    def build(self, city: OrgSpec) -> OrgSpec | None:
        place = self.place
        county = self.tree.add(
            city,
            name=f"中共{place.name}委员会",
            short_name=f"{place.name}委",
            kind="committee",
            category="government",
            tag="county",
            division_code=place.code,
            region_code=place.code,
        )
        for township in place.townships:
            self.township(county, township)
        self.organs(county)
        self.schools(county)
        self.hospitals(county)
        self.state_enterprises(county)
        self.non_public(county)
        self.new_employment(county)
        return county

    def township(self, county, township):
        if township.is_street:
            node = self.node(
                county,
                f"{township.name}党工委",
                "working_committee",
                "community",
                "township",
                division_code=township.code,
                locality=township.name,
            )
        else:
            node = self.node(
                county,
                f"{township.name}党委",
                "committee",
                "rural",
                "township",
                division_code=township.code,
                locality=township.name,
            )
        for name, code, community in township.villages:
            if community:
                self.community(node, township.name, name, code)
            else:
                self.village(node, township.name, name, code)
        for unit in ("机关", "卫生院", "便民服务中心"):
            self.node(
                node,
                f"{township.name}{unit}党支部",
                "branch",
                "government" if unit != "卫生院" else "public_institution",
                "government" if unit != "卫生院" else "hospital",
                short_name=f"{unit}党支部",
                division_code=township.code,
            )
        for _ in range(self.rng.randint(2, 10)):
            self.enterprise(node, township.name)

    def village(self, parent, township, name, code):
        roll = self.rng.random()
        label = f"{township}{name}"
        if roll < 0.78:
            self.node(
                parent,
                f"{label}党支部",
                "branch",
                "rural",
                "village",
                short_name=f"{name}党支部",
                division_code=code,
                locality=label,
            )
            return
        kind, suffix, count = ("general_branch", "党总支", 2) if roll < 0.93 else ("committee", "党委", 3)
        head = self.node(
            parent,
            f"{label}{suffix}",
            kind,
            "rural",
            "village",
            short_name=f"{name}{suffix}",
            division_code=code,
            locality=label,
        )
        for number in range(count + self.rng.randint(0, 1)):
            self.node(
                head,
                f"{label}第{ORDINALS[number]}党支部",
                "branch",
                "rural",
                "village",
                short_name=f"第{ORDINALS[number]}党支部",
                division_code=code,
            )

    def community(self, parent, township, name, code):
        head = self.node(
            parent,
            f"{township}{name}党委",
            "committee",
            "community",
            "community",
            short_name=f"{name}党委",
            division_code=code,
            locality=f"{township}{name}",
        )
        for number in range(self.rng.randint(2, 4)):
            self.node(
                head,
                f"{township}{name}第{ORDINALS[number]}网格党支部",
                "branch",
                "community",
                "community",
                short_name=f"第{ORDINALS[number]}网格党支部",
                division_code=code,
            )
        self.node(
            head,
            f"{township}{name}离退休党员党支部",
            "branch",
            "community",
            "retired",
            short_name="离退休党员党支部",
            division_code=code,
        )

    def enterprise(self, parent, where=""):
        rng = self.rng
        unit = f"{self.place.short_name}{rng.choice(ENTERPRISE_WORDS)}{rng.choice(INDUSTRIES)}有限公司"
        return self.node(
            parent,
            f"{unit}党支部",
            "branch",
            "non_public_enterprise",
            "enterprise",
            short_name=f"{unit}党支部"[-60:],
            unit_name=unit,
            unit_nature="私营企业",
            unit_relation="legal_entity",
            credit_code=credit_code(rng, self.place.code),
            address=f"{self.place.province_name}{self.place.city_name}{self.place.name}{where}",
        )

    def organs(self, county):
        head = self.node(
            county,
            "县直机关工作委员会",
            "working_committee",
            "government",
            "organs",
            short_name="县直机关工委",
        )
        for unit in GOVERNMENT_UNITS:
            name = unit.replace("县", self.prefix, 1) if unit.startswith("县") else unit
            self.node(
                head,
                f"{name}机关党支部",
                "branch",
                "government",
                "government",
                unit_name=name,
                unit_nature="机关",
                short_name=f"{unit}机关党支部",
            )

    def schools(self, county):
        head = self.node(
            county, "教育系统委员会", "committee", "school", "schools", short_name="教育系统党委"
        )
        units = [f"{self.prefix}第{ORDINALS[n]}中学" for n in range(4)]
        units += [f"{self.prefix}实验小学", f"{self.prefix}职业中等专业学校", f"{self.prefix}实验幼儿园"]
        units += [f"{t.name}中心小学" for t in self.place.townships]
        units += [f"{t.name}初级中学" for t in self.place.townships if not t.is_street]
        for unit in units:
            self.node(
                head,
                f"{unit}党支部",
                "branch",
                "school",
                "school",
                unit_name=unit,
                unit_nature="事业单位",
                unit_relation="legal_entity",
            )

    def hospitals(self, county):
        head = self.node(
            county,
            "人民医院委员会",
            "committee",
            "public_institution",
            "hospital",
            short_name="县人民医院党委",
            unit_name=f"{self.prefix}人民医院",
            unit_nature="事业单位",
        )
        for ward in ("内科", "外科", "医技", "护理", "行政后勤", "离退休"):
            self.node(
                head,
                f"人民医院{ward}党支部",
                "branch",
                "public_institution",
                "retired" if ward == "离退休" else "hospital",
                short_name=f"{ward}党支部",
            )
        for unit in ("中医医院", "妇幼保健院", "疾病预防控制中心"):
            self.node(
                county, f"{unit}党支部", "branch", "public_institution", "hospital", unit_nature="事业单位"
            )

    def state_enterprises(self, county):
        head = self.node(
            county,
            "国有资产监督管理系统委员会",
            "committee",
            "state_enterprise",
            "soe_head",
            short_name="县国资系统党委",
        )
        for unit in STATE_ENTERPRISES:
            self.node(
                head,
                f"{unit}党支部",
                "branch",
                "state_enterprise",
                "state_enterprise",
                unit_name=self.prefix + unit,
                unit_nature="国有企业",
                unit_relation="legal_entity",
                credit_code=credit_code(self.rng, self.place.code),
            )

    def non_public(self, county):
        head = self.node(
            county,
            "非公有制经济组织和社会组织综合委员会",
            "industry_committee",
            "non_public_enterprise",
            "industry",
            short_name="两新组织综合党委",
        )
        for _ in range(60):
            self.enterprise(head)
        for unit in ("律师协会", "个体劳动者协会", "物业管理行业协会", "慈善总会"):
            self.node(
                head, f"{unit}党支部", "branch", "social_organisation", "social", unit_nature="社会团体"
            )

    def new_employment(self, county):
        head = self.node(
            county,
            "新就业群体行业党委",
            "industry_committee",
            "other",
            "industry",
            short_name="新就业群体行业党委",
        )
        for name, tag, kind in NEW_EMPLOYMENT:
            self.node(
                head,
                name,
                kind,
                "other",
                tag,
                unit_relation="joint" if kind == "joint_branch" else "same_as_parent",
            )
