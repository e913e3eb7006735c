/*
 * blood/din.h — ISBT 128 Donation Identification Numbers.
 *
 * A DIN names one donation worldwide: 13 characters
 *
 *     W1234 24 123456       FIN (facility identification number: one letter or digit, then four
 *     └─┬─┘ ├┘ └──┬─┘       digits) · year of collection (two digits) · sequence (six digits)
 *      FIN  yy  sequence
 *
 * printed with a check character K for keyboard entry: ISO/IEC 7064 MOD 37-2 over the 13
 * characters, one of 0-9, A-Z or '*'. We accept the DIN as typed from the label — the 13
 * characters and K, spaces optional, letters in either case — verify K, and store the 13
 * characters in upper case. A wrong K almost always means a mistyped character, so it is refused.
 */
#ifndef HB_BLOOD_DIN_H
#define HB_BLOOD_DIN_H

#include <stddef.h>

#define HB_BLOOD_DIN_LEN 13

/* The MOD 37-2 check character of din[0..13) (which must be 0-9 / A-Z). */
char hb_blood_din_check_char(const char din[HB_BLOOD_DIN_LEN]);

/*
 * Parse a DIN with its check character from text[0..len): 14 significant characters after
 * removing spaces. out gets the 13-character DIN, NUL-terminated. HB_EINVAL with a message saying
 * what is wrong (length, structure, or which check character was expected).
 */
int hb_blood_din_parse(char out[HB_BLOOD_DIN_LEN + 1], const char *text, size_t len);

/* Format din as printed, "W1234 24 123456 K", into out[20]. */
void hb_blood_din_format(char out[20], const char din[HB_BLOOD_DIN_LEN]);

#endif
