namespace Tongban.Domain.CrossChecks;

/// <summary>
/// The province a comparison line names (the contract's <c>province</c>): one of the 34 province-level divisions of
/// GB/T 2260, by its full name (广东省, 内蒙古自治区, 北京市, 香港特别行政区) or its short form (广东, 内蒙古, 北京, 香港).
/// Either form becomes the full name, so a file that writes 浙江 on one line and 浙江省 on another names one province
/// once; a name that is no province (a typing slip, 火星省) is refused, since a match suspends a recipient's benefit.
/// </summary>
public static class ProvinceNames
{
    /// <summary>Each full name with its short form, in GB/T 2260 code order.</summary>
    private static readonly (string Full, string Short)[] Divisions =
    [
        ("北京市", "北京"), ("天津市", "天津"), ("河北省", "河北"), ("山西省", "山西"), ("内蒙古自治区", "内蒙古"),
        ("辽宁省", "辽宁"), ("吉林省", "吉林"), ("黑龙江省", "黑龙江"),
        ("上海市", "上海"), ("江苏省", "江苏"), ("浙江省", "浙江"), ("安徽省", "安徽"), ("福建省", "福建"), ("江西省", "江西"), ("山东省", "山东"),
        ("河南省", "河南"), ("湖北省", "湖北"), ("湖南省", "湖南"), ("广东省", "广东"), ("广西壮族自治区", "广西"), ("海南省", "海南"),
        ("重庆市", "重庆"), ("四川省", "四川"), ("贵州省", "贵州"), ("云南省", "云南"), ("西藏自治区", "西藏"),
        ("陕西省", "陕西"), ("甘肃省", "甘肃"), ("青海省", "青海"), ("宁夏回族自治区", "宁夏"), ("新疆维吾尔自治区", "新疆"),
        ("台湾省", "台湾"), ("香港特别行政区", "香港"), ("澳门特别行政区", "澳门"),
    ];

    /// <summary>The full names, in GB/T 2260 code order.</summary>
    public static readonly IReadOnlyList<string> All = [.. Divisions.Select(d => d.Full)];

    private static readonly Dictionary<string, string> ByName =
        Divisions.SelectMany(d => new[] { (Name: d.Full, d.Full), (Name: d.Short, d.Full) }).ToDictionary(n => n.Name, n => n.Full);

    /// <summary>
    /// The full name of the province <paramref name="name"/> names (surrounding spaces ignored); null when it names none.
    /// </summary>
    public static string? Canonical(string name) => ByName.GetValueOrDefault(name.Trim());
}
