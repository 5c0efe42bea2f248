#include "ow/forms/regions.h"

#include <algorithm>
#include <string>

namespace ow::forms {
namespace {

// GB/T 2260: province level (all), prefecture level where the catalogue needs it.
constexpr Region kRegions[] = {
    {"110000", "北京市"}, {"110100", "北京市市辖区"}, {"110101", "东城区"}, {"110102", "西城区"},
    {"110105", "朝阳区"}, {"110108", "海淀区"},
    {"120000", "天津市"}, {"120100", "天津市市辖区"}, {"120116", "滨海新区"},
    {"130000", "河北省"}, {"140000", "山西省"}, {"150000", "内蒙古自治区"},
    {"210000", "辽宁省"}, {"220000", "吉林省"}, {"230000", "黑龙江省"},
    {"310000", "上海市"}, {"310100", "上海市市辖区"}, {"310115", "浦东新区"},
    {"320000", "江苏省"}, {"330000", "浙江省"}, {"340000", "安徽省"}, {"350000", "福建省"},
    {"350100", "福州市"}, {"360000", "江西省"},
    {"370000", "山东省"}, {"370100", "济南市"}, {"370102", "历下区"}, {"370103", "市中区"},
    {"370104", "槐荫区"}, {"370105", "天桥区"}, {"370112", "历城区"}, {"370200", "青岛市"},
    {"370300", "淄博市"}, {"370400", "枣庄市"}, {"370500", "东营市"}, {"370600", "烟台市"},
    {"370602", "芝罘区"}, {"370700", "潍坊市"}, {"370800", "济宁市"}, {"370900", "泰安市"},
    {"371000", "威海市"}, {"371100", "日照市"}, {"371300", "临沂市"}, {"371400", "德州市"},
    {"371500", "聊城市"}, {"371600", "滨州市"}, {"371700", "菏泽市"},
    {"410000", "河南省"}, {"420000", "湖北省"},
    {"430000", "湖南省"}, {"430100", "长沙市"}, {"430300", "湘潭市"}, {"430302", "雨湖区"},
    {"430304", "岳塘区"},
    {"440000", "广东省"}, {"440100", "广州市"}, {"440300", "深圳市"},
    {"450000", "广西壮族自治区"}, {"460000", "海南省"},
    {"500000", "重庆市"}, {"500100", "重庆市市辖区"},
    {"510000", "四川省"}, {"510100", "成都市"}, {"511100", "乐山市"}, {"511102", "市中区"},
    {"520000", "贵州省"}, {"530000", "云南省"}, {"540000", "西藏自治区"},
    {"610000", "陕西省"}, {"620000", "甘肃省"}, {"630000", "青海省"}, {"640000", "宁夏回族自治区"},
    {"650000", "新疆维吾尔自治区"},
    {"710000", "台湾省"}, {"810000", "香港特别行政区"}, {"820000", "澳门特别行政区"},
};

}  // namespace

std::span<const Region> regions() { return kRegions; }

const Region* find_region(std::string_view code) {
    auto it = std::lower_bound(std::begin(kRegions), std::end(kRegions), code,
                               [](const Region& r, std::string_view c) { return std::string_view(r.code) < c; });
    if (it != std::end(kRegions) && std::string_view(it->code) == code) return &*it;
    return nullptr;
}

bool region_code_plausible(std::string_view code) {
    if (code.size() != 6 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    if (find_region(code)) return true;
    if (code.substr(4) == "00") return false;  // an unknown prefecture or province
    std::string prefecture(code.substr(0, 4));
    prefecture += "00";
    return find_region(prefecture) != nullptr;
}

}  // namespace ow::forms
