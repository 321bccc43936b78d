namespace Tongban.Domain.CrossChecks;

/// <summary>
/// The province a comparison line names (the contract's <c>province</c>): one of the 34 province-level divisions of
/// GB/T 2260, by its full name (广东省, 内蒙古自治区, 北京市, 香港特别行政区) or its short form (广东, 内蒙古, 北京, 香港).
/// Either form becomes the full name, so a file that writes 浙江 on one line and 浙江省 on another names one province
/// once; a name that is no province (a typing slip, 火星省) is refused, since a match suspends a recipient's benefit.
/// </summary>
public static class ProvinceNames
{
    /// <summary>The full names, in GB/T 2260 code order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "北京市", "天津市", "河北省", "山西省", "内蒙古自治区",
        "辽宁省", "吉林省", "黑龙江省",
        "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省",
        "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区", "海南省",
        "重庆市", "四川省", "贵州省", "云南省", "西藏自治区",
        "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
        "台湾省", "香港特别行政区", "澳门特别行政区",
    ];

    private static readonly Dictionary<string, string> ByName = All
        .SelectMany(full => new[] { (Name: full, Full: full), (Name: Short(full), Full: full) })
        .ToDictionary(n => n.Name, n => n.Full);

    /// <summary>
    /// The full name of the province <paramref name="name"/> names (surrounding spaces ignored); null when it names none.
    /// </summary>
    public static string? Canonical(string name) => ByName.GetValueOrDefault(name.Trim());

    /// <summary>广东省 → 广东, 北京市 → 北京, 内蒙古自治区 → 内蒙古, 广西壮族自治区 → 广西, 香港特别行政区 → 香港.</summary>
    private static string Short(string full) =>
        full.EndsWith("特别行政区", StringComparison.Ordinal) ? full[..^5]
        : full.EndsWith("自治区", StringComparison.Ordinal) ? full[..2] is "内蒙" ? "内蒙古" : full[..2]
        : full[..^1];
}
