using System.Globalization;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Identifiers;

namespace Tongban.Domain.Registry;

/// <summary>
/// A made-up insured population that looks like a real registry export (contract: Registry import),
/// for demos and load tests. The same seed gives the same rows, so a demo can be replayed.
/// About half the people qualify for unemployment benefit; the others are still contributing,
/// resigned, short of 12 months or retired, so every verification outcome shows up. The first eligible people show
/// identities real applicants bring (<see cref="Showcase"/>).
/// </summary>
public static class DemoPopulation
{
    private enum Category { Eligible, StillContributing, Resigned, ShortContributions, Retired }

    /// <summary>
    /// Who the first three eligible people of every population are, in this order: a Taiwan resident with a residence
    /// permit (address code 830000), a minority name with the middle dot (U+00B7), a name with a character outside the BMP.
    /// </summary>
    public enum Showcase { TaiwanPermit, MiddleDotName, NameOutsideBmp }

    // Each block of 24 people holds the mix exactly, in shuffled order: even a small demo has every kind.
    private static readonly Category[] Block =
    [
        .. Enumerable.Repeat(Category.Eligible, 12),
        .. Enumerable.Repeat(Category.StillContributing, 4),
        .. Enumerable.Repeat(Category.Resigned, 3),
        .. Enumerable.Repeat(Category.ShortContributions, 3),
        .. Enumerable.Repeat(Category.Retired, 2),
    ];

    public static IEnumerable<RegistryRow> Generate(int people, int seed, IReadOnlyList<string> cityCodes, YearMonth currentMonth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(people);
        ArgumentNullException.ThrowIfNull(cityCodes);
        if (cityCodes.Count == 0) throw new ArgumentException("At least one city is needed.", nameof(cityCodes));
        foreach (var code in cityCodes)
            if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit))
                throw new ArgumentException($"'{code}' is not a six-digit city code.", nameof(cityCodes));
        return Rows(people, seed, [.. cityCodes], currentMonth);
    }

    private static IEnumerable<RegistryRow> Rows(int people, int seed, string[] cities, YearMonth currentMonth)
    {
        var generator = new Generator(new Random(seed), cities, currentMonth);
        var block = Block.ToArray();
        for (var i = 0; i < people; i++)
        {
            if (i % block.Length == 0) generator.Random.Shuffle(block);
            foreach (var row in generator.Person(block[i % block.Length]))
                yield return row;
        }
    }

    private sealed record Employer(string Code, string Name);

    private sealed class Generator(Random random, string[] cities, YearMonth currentMonth)
    {
        public Random Random => random;

        private readonly HashSet<string> _idNumbers = [];
        private readonly HashSet<string> _mobiles = [];
        private readonly HashSet<string> _accounts = [];
        private readonly HashSet<string> _employerCodes = [];
        private readonly HashSet<string> _employerNames = [];
        private readonly Dictionary<string, List<Employer>> _employers = [];
        private int _showcases;

        public IEnumerable<RegistryRow> Person(Category category)
        {
            Showcase? showcase = category == Category.Eligible && _showcases < Enum.GetValues<Showcase>().Length
                ? (Showcase)_showcases++
                : null;
            var male = random.Next(2) == 0;
            // Working people are younger than the lowest statutory retirement age (60 for men, 50 for women in worker
            // posts); the retired are past the highest (63 and 55 after the 2025 reform).
            var age = category == Category.Retired
                ? (male ? random.Next(63, 67) : random.Next(55, 59))
                : 20 + (int)((random.NextDouble() + random.NextDouble()) / 2 * ((male ? 60 : 50) - 20));
            var birth = currentMonth.FirstDay.AddYears(-age).AddDays(-random.Next(0, 365));
            var idNumber = IdNumber(showcase == Showcase.TaiwanPermit ? "830000" : Pick(cities), birth, male);
            var name = showcase switch
            {
                Showcase.MiddleDotName => Pick(male ? DottedMaleNames : DottedFemaleNames),
                Showcase.NameOutsideBmp => OutsideBmpSurname + GivenName(male),
                _ => PersonName(male),
            };
            var mobile = Unique(_mobiles, NewMobile);
            var account = Unique(_accounts, NewBankAccount);

            foreach (var spell in Spells(category, birth, male))
            {
                yield return new RegistryRow(idNumber, name, mobile, account, spell.City, spell.Employer.Code, spell.Employer.Name,
                    spell.Start.ToString(), spell.End?.ToString() ?? "", spell.Reason?.Code() ?? "");
            }
        }

        private sealed record Spell(string City, Employer Employer, YearMonth Start, YearMonth? End, SeparationReason? Reason);

        private List<Spell> Spells(Category category, DateOnly birth, bool male)
        {
            // The last spell ends a few months back; a contributing person's runs to this month and stays open.
            var lastEnd = category switch
            {
                Category.StillContributing => currentMonth,
                Category.Eligible or Category.ShortContributions => currentMonth.AddMonths(-random.Next(1, 6)),
                Category.Resigned => currentMonth.AddMonths(-random.Next(1, 13)),
                _ => Min(RetirementAge.For(birth, male ? Sex.Male : Sex.Female, WomanPost.Worker).Month, currentMonth.AddMonths(-1)),
            };
            var minimum = category == Category.ShortContributions ? 3 : 12;
            var earliest = YearMonth.Of(birth.AddYears(18)).AddMonths(1);
            var careerStart = Max(earliest, Min(earliest.AddMonths(random.Next(0, 60)), lastEnd.AddMonths(1 - minimum - 2)));
            var available = lastEnd.MonthsSinceInclusive(careerStart);

            var total = category switch
            {
                Category.ShortContributions => random.Next(3, 12),
                Category.Retired => Math.Max(minimum, (int)(available * (0.6 + 0.35 * random.NextDouble()))),
                _ => Math.Max(minimum, (int)(available * (0.25 + 0.75 * random.NextDouble()))),
            };
            total = Math.Min(total, available);

            var count = Math.Min(random.Next(1, 5), Math.Max(1, total / 3));
            var lengths = Split(total, count, minimumEach: Math.Min(3, total / count));
            var slack = available - total;
            var gaps = new int[count];
            for (var i = 1; i < count; i++)
            {
                gaps[i] = random.Next(0, Math.Min(slack, 18) + 1);
                slack -= gaps[i];
            }

            var spells = new List<Spell>(count);
            var start = lastEnd.AddMonths(1 - total - gaps.Sum());
            var city = Pick(cities);
            var used = new HashSet<string>();
            for (var i = 0; i < count; i++)
            {
                if (i > 0 && random.NextDouble() < 0.4) city = Pick(cities);
                var employer = EmployerIn(city, used);
                var end = start.AddMonths(lengths[i] - 1);
                var last = i == count - 1;
                var reason = last ? LastReason(category) : EarlierReason();
                spells.Add(new Spell(city, employer, start,
                    last && category == Category.StillContributing ? null : end, reason));
                if (!last) start = end.AddMonths(1 + gaps[i + 1]);
            }
            return spells;
        }

        private int[] Split(int total, int parts, int minimumEach)
        {
            var lengths = Enumerable.Repeat(minimumEach, parts).ToArray();
            for (var rest = total - minimumEach * parts; rest > 0; rest--)
                lengths[random.Next(parts)]++;
            return lengths;
        }

        private SeparationReason? LastReason(Category category) => category switch
        {
            Category.StillContributing => null,
            Category.Resigned => SeparationReason.Resigned,
            Category.Retired => SeparationReason.Retired,
            _ => Weighted(
                (SeparationReason.ContractExpired, 35), (SeparationReason.MutualAgreement, 20),
                (SeparationReason.EmployerTerminated, 15), (SeparationReason.EmployerClosed, 15),
                (SeparationReason.ResignedEmployerFault, 8), (SeparationReason.Dismissed, 7)),
        };

        private SeparationReason EarlierReason() => Weighted(
            (SeparationReason.Resigned, 45), (SeparationReason.ContractExpired, 25), (SeparationReason.MutualAgreement, 12),
            (SeparationReason.EmployerTerminated, 6), (SeparationReason.EmployerClosed, 6),
            (SeparationReason.ResignedEmployerFault, 3), (SeparationReason.Dismissed, 3));

        private string IdNumber(string birthCity, DateOnly birth, bool male)
        {
            // A county-level code under the city (460100 → 460105); a county-level city keeps its own, a residence
            // permit its address code (830000).
            var region = birthCity.EndsWith("0000", StringComparison.Ordinal) || !birthCity.EndsWith("00", StringComparison.Ordinal)
                ? birthCity
                : birthCity[..4] + "0" + random.Next(1, 9);
            return Unique(_idNumbers, () =>
            {
                var sequence = random.Next(0, 500) * 2 + (male ? 1 : 0);
                var first17 = region + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence.ToString("D3", CultureInfo.InvariantCulture);
                return first17 + IdentityNumber.CheckCharacter(first17);
            });
        }

        private string PersonName(bool male)
        {
            // Surnames are listed by frequency; squaring the draw favours the common ones.
            var surname = random.NextDouble() < 0.005
                ? Pick(CompoundSurnames)
                : Surnames[(int)(Surnames.Length * Math.Pow(random.NextDouble(), 2))];
            return surname + GivenName(male);
        }

        private string GivenName(bool male)
        {
            var characters = male ? MaleCharacters : FemaleCharacters;
            return random.NextDouble() < 0.3
                ? Pick(characters).ToString()
                : string.Concat(Pick(characters), Pick(random.NextDouble() < 0.5 ? characters : NeutralCharacters));
        }

        private string NewMobile() =>
            Pick(MobilePrefixes) + random.Next(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture);

        private string NewBankAccount()
        {
            var first18 = Pick(CardPrefixes) + random.NextInt64(0, 1_000_000_000_000).ToString("D12", CultureInfo.InvariantCulture);
            return first18 + LuhnDigit(first18);
        }

        private Employer EmployerIn(string city, HashSet<string> notThese)
        {
            if (!_employers.TryGetValue(city, out var pool)) _employers[city] = pool = [];
            // Fewer new employers as the city fills up, so most of them have several insured staff.
            var candidates = pool.Where(e => !notThese.Contains(e.Code)).ToList();
            var employer = candidates.Count == 0 || random.NextDouble() < 20.0 / (pool.Count + 20)
                ? NewEmployer(city, pool)
                : Pick(candidates);
            notThese.Add(employer.Code);
            return employer;
        }

        private Employer NewEmployer(string city, List<Employer> pool)
        {
            var code = Unique(_employerCodes, () => CreditCodeIn(city));
            var place = CityNames.GetValueOrDefault(city, "");
            var name = "";
            for (var attempt = 0; attempt < 20 && (name == "" || _employerNames.Contains(name)); attempt++)
                name = place + Pick(TradeNames) + Pick(Industries) + Weighted(("有限公司", 70), ("有限责任公司", 15), ("股份有限公司", 10), ("集团有限公司", 5));
            if (!_employerNames.Add(name))
            {
                name += $"第{pool.Count}分公司";
                _employerNames.Add(name);
            }
            var employer = new Employer(code, name);
            pool.Add(employer);
            return employer;
        }

        /// <summary>
        /// 统一社会信用代码: 9 (registered with market regulation) 1 (enterprise), the registering
        /// authority's region, the 9-character organisation code (GB 11714, with its own check), and the
        /// GB 32100 check character.
        /// </summary>
        private string CreditCodeIn(string city)
        {
            var authority = city.EndsWith("00", StringComparison.Ordinal) ? city[..4] + "0" + random.Next(0, 9) : city;
            var body = random.NextDouble() < 0.7
                ? "MA" + string.Concat(Enumerable.Range(0, 6).Select(_ => CreditAlphabet[random.Next(CreditAlphabet.Length)]))
                : random.Next(10_000_000, 100_000_000).ToString(CultureInfo.InvariantCulture);
            var first17 = "91" + authority + body + OrganizationCheck(body);
            return first17 + CreditCheck(first17);
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        private T Weighted<T>(params (T Item, int Weight)[] items)
        {
            var draw = random.Next(items.Sum(i => i.Weight));
            foreach (var (item, weight) in items)
            {
                if (draw < weight) return item;
                draw -= weight;
            }
            throw new InvalidOperationException("Weights must be positive.");
        }

        private static string Unique(HashSet<string> taken, Func<string> next)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var value = next();
                if (taken.Add(value)) return value;
            }
            throw new InvalidOperationException("The generator ran out of distinct values; ask for fewer people.");
        }
    }

    private static YearMonth Min(YearMonth a, YearMonth b) => a < b ? a : b;
    private static YearMonth Max(YearMonth a, YearMonth b) => a > b ? a : b;

    private const string CreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] CreditWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly int[] OrganizationWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    private static char CreditCheck(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += CreditAlphabet.IndexOf(first17[i]) * CreditWeights[i];
        return CreditAlphabet[(31 - sum % 31) % 31];
    }

    // GB 11714: digits count as themselves, letters A–Z as 10–35; 10 is written X and 11 as 0.
    private static char OrganizationCheck(string body)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
            sum += (char.IsAsciiDigit(body[i]) ? body[i] - '0' : body[i] - 'A' + 10) * OrganizationWeights[i];
        return (11 - sum % 11) switch { 10 => 'X', 11 => '0', var c => (char)('0' + c) };
    }

    private static char LuhnDigit(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return (char)('0' + (10 - sum % 10) % 10);
    }

    private static readonly Dictionary<string, string> CityNames = new()
    {
        ["460100"] = "海口", ["460200"] = "三亚", ["460300"] = "三沙", ["460400"] = "儋州", ["469001"] = "五指山",
        ["469002"] = "琼海", ["469005"] = "文昌", ["469006"] = "万宁",
        ["130100"] = "石家庄", ["130200"] = "唐山", ["130600"] = "保定",
        ["440100"] = "广州", ["440300"] = "深圳", ["440600"] = "佛山",
    };

    private static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗",
        "郑", "梁", "谢", "宋", "唐", "许", "韩", "邓", "冯", "曹", "彭", "曾", "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余",
        "于", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "卢", "姚", "沈", "钟", "姜", "崔", "谭", "陆", "范", "汪", "廖",
        "石", "金", "韦", "贾", "夏", "付", "方", "邹", "熊", "白", "孟", "秦", "邱", "侯", "江", "尹", "薛", "闫", "段", "雷",
        "符", "龙", "黎", "史", "陶", "贺", "毛", "郝", "顾", "龚", "邵", "万", "覃", "武", "钱", "戴", "严", "莫", "孔", "向",
    ];

    private static readonly string[] CompoundSurnames = ["欧阳", "司马", "诸葛", "上官"];

    // Uyghur and Kazakh names as the household register transcribes them, parts joined by the middle dot U+00B7.
    private static readonly string[] DottedMaleNames = ["努尔兰·巴合提别克", "艾力·买买提", "阿不都热合曼·阿不都克力木"];
    private static readonly string[] DottedFemaleNames = ["阿依古丽·买买提", "古丽娜尔·吐尔逊", "热依拉·艾合买提"];

    // 𠮷 (U+20BB7, CJK Extension B), a form of the surname 吉: two UTF-16 units, one character.
    private const string OutsideBmpSurname = "\U00020BB7";

    private static readonly char[] MaleCharacters =
    [
        '伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '平', '辉', '鹏', '华', '飞', '鑫', '波', '宇', '浩',
        '凯', '健', '俊', '帆', '旭', '宁', '龙', '林', '峰', '建', '国', '志', '文', '海', '亮', '成', '东', '振', '博', '昊',
    ];

    private static readonly char[] FemaleCharacters =
    [
        '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '秀', '英', '玲', '婷', '雪', '慧', '莹', '倩', '颖', '琳', '洁', '晶',
        '欣', '丹', '燕', '梅', '萍', '红', '蕾', '悦', '萱', '怡', '诗', '涵', '梦', '琪', '思', '月',
    ];

    private static readonly char[] NeutralCharacters = ['子', '佳', '晨', '雨', '嘉', '睿', '天', '若', '一', '安', '欣', '泽', '然', '清', '远'];

    private static readonly string[] TradeNames =
    [
        "椰风", "南洋", "鹏程", "华信", "鑫源", "恒达", "宏图", "金桥", "新航", "海韵", "天成", "瑞丰", "嘉禾", "中联", "远洋",
        "星辰", "博远", "顺达", "广汇", "万通", "联创", "长青", "腾飞", "盛世", "和美", "东升", "永安", "富民", "百川", "汇通",
        "金穗", "蓝海", "银河", "启航", "信达", "润泽", "景程", "德润", "祥和", "安泰",
    ];

    private static readonly string[] Industries =
    [
        "商贸", "物流", "建筑工程", "餐饮管理", "酒店管理", "电子科技", "信息技术", "物业服务", "旅游开发", "食品", "服装",
        "汽车服务", "医药", "文化传媒", "装饰工程", "农业开发", "水产", "教育咨询", "家政服务", "人力资源", "机械设备", "印刷",
        "园林绿化", "保安服务", "贸易",
    ];

    private static readonly string[] MobilePrefixes =
    [
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157",
        "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188",
        "189", "191", "193", "195", "198", "199",
    ];

    private static readonly string[] CardPrefixes = ["621700", "621799", "622848", "621226", "622202", "621661", "623058"];
}
