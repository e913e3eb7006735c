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
    [HB_MSG_MEASURE_IMPORTED_CASES] = { "imported cases", "输入病例", "輸入個案",
                                        "casos importados" },
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
    [HB_MSG_ALERTS] = { "Early-warning alerts", "预警信号", "預警信號", "Alertas precoces" },
    [HB_MSG_ALERTS_INTRO] = { "Alerts active in the four weeks to {1}, highest level first; the "
                              "status is the authority's assessment.",
                              "截至{1}"
                              "前四周内仍在持续的预警，按级别由高到低排列；状态为卫生部门的研判结果"
                              "。",
                              "截至{1}"
                              "前四週內仍在持續的預警，按級別由高至低排列；狀態為衞生部門的研判結果"
                              "。",
                              "Alertas ativos nas quatro semanas até {1}, do nível mais alto ao "
                              "mais baixo; o estado é a avaliação da autoridade." },
    [HB_MSG_NO_ALERTS] = { "No alert was active in the four weeks to {1}.",
                           "截至{1}前四周内无持续预警。", "截至{1}前四週內無持續預警。",
                           "Nenhum alerta ativo nas quatro semanas até {1}." },
    [HB_MSG_COL_LEVEL] = { "Level", "级别", "級別", "Nível" },
    [HB_MSG_COL_STATUS] = { "Status", "状态", "狀態", "Estado" },
    [HB_MSG_COL_SINCE] = { "Since", "起始", "起始", "Desde" },
    [HB_MSG_COL_LATEST] = { "Latest signal", "最近信号", "最近信號", "Último sinal" },
    [HB_MSG_LEVEL_WATCH] = { "watch", "关注", "關注", "vigilância" },
    [HB_MSG_LEVEL_WARNING] = { "warning", "预警", "預警", "aviso" },
    [HB_MSG_LEVEL_ALERT] = { "alert", "警报", "警報", "alerta" },
    [HB_MSG_STATUS_NEW] = { "new", "新发", "新發", "novo" },
    [HB_MSG_STATUS_ASSESSING] = { "assessing", "研判中", "研判中", "em avaliação" },
    [HB_MSG_STATUS_CONFIRMED] = { "confirmed", "已确认", "已確認", "confirmado" },
    [HB_MSG_STATUS_DISMISSED] = { "dismissed", "已排除", "已排除", "descartado" },
    [HB_MSG_STATUS_CLOSED] = { "closed", "已结束", "已結束", "encerrado" },
    [HB_MSG_RT] = { "Reproduction number (Rt)", "实时再生数（Rt）", "實時再生數（Rt）",
                    "Número de reprodução (Rt)" },
    [HB_MSG_RT_INTRO] = { "Latest estimates up to {1} (Cori et al.), highest first: above 1 the "
                          "epidemic grows.",
                          "截至{1}的最新估计（Cori等方法），由高到低排列：大于1表示疫情在扩散。",
                          "截至{1}的最新估計（Cori等方法），由高至低排列：大於1表示疫情在擴散。",
                          "Estimativas mais recentes até {1} (Cori et al.), da mais alta à mais "
                          "baixa: acima de 1 a epidemia cresce." },
    [HB_MSG_COL_WINDOW_END] = { "Window ending", "时间窗截至", "時間窗截至", "Janela até" },
    [HB_MSG_COL_RT] = { "Rt (median)", "Rt（中位数）", "Rt（中位數）", "Rt (mediana)" },
    [HB_MSG_COL_INTERVAL] = { "95% interval", "95%区间", "95%區間", "Intervalo de 95%" },
    [HB_MSG_FORECASTS] = { "Forecasts", "预测", "預測", "Previsões" },
    [HB_MSG_FORECASTS_INTRO] = { "The latest forecast made up to {1} for each series: the median "
                                 "and the 95% prediction interval of each period ahead.",
                                 "截至{1}各序列的最新预测：未来各期的中位数及95%预测区间。",
                                 "截至{1}各序列的最新預測：未來各期的中位數及95%預測區間。",
                                 "A previsão mais recente até {1} de cada série: a mediana e o "
                                 "intervalo de previsão de 95% de cada período seguinte." },
    [HB_MSG_COL_TARGET] = { "Period", "预测期", "預測期", "Período" },
    [HB_MSG_COL_MEDIAN] = { "Median", "中位数", "中位數", "Mediana" },
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
    static const char *const codes[] = { "cases",    "deaths",     "admissions",    "positives",
                                         "ili_rate", "positivity", "imported_cases" };
    for (int i = 0; i < 7; i++)
        if (strcmp(measure, codes[i]) == 0)
            return messages[HB_MSG_MEASURE_CASES + i][lang_index];
    return measure;
}

const char *hb_i18n_alert_word(int lang_index, const char *code)
{
    static const char *const codes[] = { "watch",     "warning",   "alert",     "new",
                                         "assessing", "confirmed", "dismissed", "closed" };
    for (int i = 0; i < 8; i++)
        if (strcmp(code, codes[i]) == 0)
            return messages[HB_MSG_LEVEL_WATCH + i][lang_index];
    return code;
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
