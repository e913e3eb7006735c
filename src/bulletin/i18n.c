/*
 * bulletin/i18n.c — the message table (see i18n.h). Chinese follows the wording of the health
 * authorities' own bulletins (e.g. CHP's 流感速遞 Flu Express, the NHC's 疫情通报).
 */
#include "bulletin/i18n.h"

#include <string.h>

#include "util/error.h"

static const char *const langs[] = { "en", "zh-Hans", "zh-Hant", "pt" };
static const char *const name_columns[] = { "en", "zh_hans", "zh_hant", "pt" };

static const char *const messages[HB_MSG_COUNT][4] = {
    [HB_MSG_TITLE_DAILY] = { "Daily communicable disease situation", "每日传染病疫情通报",
                             "每日傳染病疫情通報", "Situação diária das doenças transmissíveis" },
    [HB_MSG_TITLE_WEEKLY] = { "Weekly communicable disease situation", "每周传染病疫情通报",
                              "每週傳染病疫情通報", "Situação semanal das doenças transmissíveis" },
    [HB_MSG_GBA] = { "Guangdong–Hong Kong–Macao Greater Bay Area", "粤港澳大湾区", "粵港澳大灣區",
                     "Grande Baía Guangdong–Hong Kong–Macau" },
    [HB_MSG_SUBTITLE] = { "Data up to {1} · generated {2}", "数据截至{1} · 生成于{2}",
                          "數據截至{1} · 生成於{2}", "Dados até {1} · gerado em {2}" },
    [HB_MSG_SITUATION] = { "Situation", "疫情概况", "疫情概況", "Situação" },
    [HB_MSG_COUNTS] = { "Reported counts by disease", "各病种报告数据", "各病種報告數據",
                        "Dados notificados por doença" },
    [HB_MSG_NO_DATA] = { "No surveillance data has been reported up to {1}.",
                         "截至{1}未有监测数据报告。", "截至{1}未有監測數據報告。",
                         "Não foram notificados dados de vigilância até {1}." },
    [HB_MSG_SUMMARY] = { "{1} series reported; the latest data are for {2}.",
                         "共报告{1}个监测序列，最新数据日期为{2}。",
                         "共報告{1}個監測序列，最新數據日期為{2}。",
                         "{1} séries notificadas; os dados mais recentes são de {2}." },
    [HB_MSG_RISING] = { "Largest increases on the previous period:", "较上一期增幅最大：",
                        "較上一期增幅最大：", "Maiores aumentos face ao período anterior:" },
    [HB_MSG_COL_DISEASE] = { "Disease", "病种", "病種", "Doença" },
    [HB_MSG_COL_MEASURE] = { "Measure", "指标", "指標", "Indicador" },
    [HB_MSG_COL_REGION] = { "Region", "地区", "地區", "Região" },
    [HB_MSG_COL_PERIOD] = { "Period", "时段", "時段", "Período" },
    [HB_MSG_COL_VALUE] = { "Value", "数值", "數值", "Valor" },
    [HB_MSG_COL_PREVIOUS] = { "Previous", "上一期", "上一期", "Anterior" },
    [HB_MSG_COL_CHANGE] = { "Change", "变化", "變化", "Variação" },
    [HB_MSG_CHART_TITLE] = { "{1} — {2}", "{1} — {2}", "{1} — {2}", "{1} — {2}" },
    [HB_MSG_MEASURE_CASES] = { "cases", "病例数", "個案數", "casos" },
    [HB_MSG_MEASURE_DEATHS] = { "deaths", "死亡数", "死亡數", "óbitos" },
    [HB_MSG_MEASURE_ADMISSIONS] = { "hospital admissions", "住院数", "入院數", "internamentos" },
    [HB_MSG_MEASURE_POSITIVES] = { "positive specimens", "阳性检测数", "陽性檢測數",
                                   "amostras positivas" },
    [HB_MSG_MEASURE_ILI_RATE] = { "ILI rate (per 1,000 consultations)", "流感样病例就诊比例（‰）",
                                  "類流感求診率（每千人次）", "taxa de SG (por 1000 consultas)" },
    [HB_MSG_MEASURE_POSITIVITY] = { "positivity (%)", "阳性率（%）", "陽性率（%）",
                                    "positividade (%)" },
    [HB_MSG_VACCINATION] = { "Vaccination of cross-border residents", "跨境居民疫苗接种",
                             "跨境居民疫苗接種", "Vacinação de residentes transfronteiriços" },
    [HB_MSG_VACCINATION_INTRO] = { "Persons vaccinated up to {1}, by place of vaccination and "
                                   "place of residence; the full "
                                   "course is judged under the rules of the place of vaccination.",
                                   "截至{1}"
                                   "按接种地和居住地统计的接种人数；全程接种按接种地规则判定。",
                                   "截至{1}"
                                   "按接種地和居住地統計的接種人數；全程接種按接種地規則判定。",
                                   "Pessoas vacinadas até {1}, por local de vacinação e de "
                                   "residência; a vacinação completa "
                                   "segue as regras do local de vacinação." },
    [HB_MSG_COL_VACCINATED_IN] = { "Vaccinated in", "接种地", "接種地", "Vacinado em" },
    [HB_MSG_COL_RESIDENTS_OF] = { "Residents of", "居住地", "居住地", "Residentes de" },
    [HB_MSG_COL_ONE_DOSE] = { "At least one dose", "至少接种一剂", "至少接種一劑",
                              "Pelo menos uma dose" },
    [HB_MSG_COL_FULL_COURSE] = { "Full course", "完成全程接种", "完成全程接種",
                                 "Vacinação completa" },
};

int hb_i18n_lang_index(const char *lang)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(lang, langs[i]) == 0)
            return i;
    return -1;
}

const char *hb_i18n(int lang_index, hb_msg msg)
{
    return messages[msg][lang_index];
}

const char *hb_i18n_name_column(int lang_index)
{
    return name_columns[lang_index];
}

const char *hb_i18n_measure(int lang_index, const char *measure)
{
    static const char *const codes[] = { "cases",     "deaths",   "admissions",
                                         "positives", "ili_rate", "positivity" };
    for (int i = 0; i < 6; i++)
        if (strcmp(measure, codes[i]) == 0)
            return messages[HB_MSG_MEASURE_CASES + i][lang_index];
    return measure;
}

int hb_i18n_fill(hb_buf *out, int lang_index, hb_msg msg, const char *arg1, const char *arg2)
{
    const char *p = messages[msg][lang_index];
    int rc = 0;
    while (rc == 0 && *p) {
        if (p[0] == '{' && (p[1] == '1' || p[1] == '2') && p[2] == '}') {
            const char *arg = p[1] == '1' ? arg1 : arg2;
            rc = hb_buf_puts(out, arg ? arg : "");
            p += 3;
        } else {
            rc = hb_buf_putc(out, *p++);
        }
    }
    return rc;
}
