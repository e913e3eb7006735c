/*
 * dcc/qr.c — the QR symbol of a certificate as PNG and SVG (see healthybay/dcc.h).
 *
 * libqrencode builds the symbol; "HC1:" plus Base45 uses only QR alphanumeric characters, so
 * the whole text goes into alphanumeric mode (hcert §4.1 MUST) without asking. Error correction
 * is Q (25 % recoverable), hcert's recommendation for codes shown on phones and printed.
 *
 * PNG is written by hand with zlib (no libpng): an 8-bit greyscale image, one filter byte (0,
 * none) per row, the rows deflated into one IDAT chunk, each chunk with its CRC-32.
 */
#include <qrencode.h>
#include <string.h>
#include <zlib.h>

#include "healthybay/dcc.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"

#define QUIET_ZONE 4 /* modules of white border, as ISO/IEC 18004 requires */

static QRcode *encode(const char *text)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_Q, QR_MODE_8, 1);
    if (!qr)
        hb_error_set(HB_ELIMIT, "text does not fit in a QR code at error correction Q");
    return qr;
}

static int dark(const QRcode *qr, int x, int y)
{
    x -= QUIET_ZONE;
    y -= QUIET_ZONE;
    return x >= 0 && y >= 0 && x < qr->width && y < qr->width &&
           (qr->data[(size_t)y * (size_t)qr->width + (size_t)x] & 1);
}

static int put_be32(hb_buf *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    return hb_buf_put(b, x, 4);
}

static int put_chunk(hb_buf *b, const char type[4], const uint8_t *data, size_t len)
{
    uLong crc = crc32(crc32(0, NULL, 0), (const Bytef *)type, 4);
    if (len) /* crc32(crc, NULL, 0) is not a no-op: it returns the initial value */
        crc = crc32(crc, data, (uInt)len);
    int rc = put_be32(b, (uint32_t)len);
    if (rc == 0 && (rc = hb_buf_put(b, type, 4)) == 0 && (rc = hb_buf_put(b, data, len)) == 0)
        rc = put_be32(b, (uint32_t)crc);
    return rc;
}

/* The raw image: per row a filter byte 0 then one grey byte per pixel. */
static uint8_t *raster(const QRcode *qr, int scale, size_t *side, size_t *len)
{
    *side = (size_t)(qr->width + 2 * QUIET_ZONE) * (size_t)scale;
    size_t row = *side + 1;
    uint8_t *img = hb_mallocarray(row, *side);
    if (!img)
        return NULL;
    for (size_t y = 0; y < *side; y++) {
        img[y * row] = 0;
        for (size_t x = 0; x < *side; x++)
            img[y * row + 1 + x] =
                dark(qr, (int)(x / (size_t)scale), (int)(y / (size_t)scale)) ? 0 : 255;
    }
    *len = row * *side;
    return img;
}

static int png_of(hb_buf *png, const QRcode *qr, int scale)
{
    size_t side, len;
    uint8_t *img = raster(qr, scale, &side, &len);
    if (!img)
        return HB_ENOMEM;
    uLongf zlen = compressBound((uLong)len);
    uint8_t *z = hb_malloc(zlen);
    int rc = z ? 0 : HB_ENOMEM;
    if (rc == 0 && compress2(z, &zlen, img, (uLong)len, 9) != Z_OK)
        rc = hb_error_set(HB_ERROR, "zlib: compression failed");
    uint8_t ihdr[13] = { 0 };
    for (int i = 0; i < 4; i++) {
        ihdr[i] = (uint8_t)(side >> (24 - 8 * i));
        ihdr[4 + i] = ihdr[i];
    }
    ihdr[8] = 8; /* bit depth; colour type 0 (grey), deflate, filter 0, no interlace */
    if (rc == 0)
        rc = hb_buf_put(png, "\x89PNG\r\n\x1a\n", 8);
    if (rc == 0)
        rc = put_chunk(png, "IHDR", ihdr, sizeof ihdr);
    if (rc == 0)
        rc = put_chunk(png, "IDAT", z, zlen);
    if (rc == 0)
        rc = put_chunk(png, "IEND", NULL, 0);
    hb_free(z);
    hb_free(img);
    return rc;
}

int hb_dcc_qr_png(uint8_t **out, size_t *len, const char *text, int scale)
{
    *out = NULL;
    if (scale < 1 || scale > 32)
        return hb_error_set(HB_EINVAL, "scale must be 1..32 pixels per module");
    QRcode *qr = encode(text);
    if (!qr)
        return HB_ELIMIT;
    hb_buf png;
    hb_buf_init(&png, 0);
    int rc = png_of(&png, qr, scale);
    QRcode_free(qr);
    if (rc < 0) {
        hb_buf_dispose(&png);
        return rc;
    }
    *len = png.len;
    *out = (uint8_t *)hb_buf_detach(&png);
    return 0;
}

int hb_dcc_qr_svg(char **out, size_t *len, const char *text)
{
    *out = NULL;
    QRcode *qr = encode(text);
    if (!qr)
        return HB_ELIMIT;
    int side = qr->width + 2 * QUIET_ZONE;
    hb_buf svg;
    hb_buf_init(&svg, 0);
    int rc = hb_buf_printf(&svg,
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                           "shape-rendering=\"crispEdges\">\n"
                           "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path d=\"",
                           side, side, side, side);
    for (int y = 0; rc == 0 && y < side; y++)
        for (int x = 0; rc == 0 && x < side; x++)
            if (dark(qr, x, y))
                rc = hb_buf_printf(&svg, "M%d %dh1v1h-1z", x, y);
    if (rc == 0)
        rc = hb_buf_puts(&svg, "\" fill=\"#000\"/>\n</svg>\n");
    QRcode_free(qr);
    if (rc < 0) {
        hb_buf_dispose(&svg);
        return rc;
    }
    *len = svg.len;
    *out = hb_buf_detach(&svg);
    return 0;
}
