// Record content (the canonical encoding stored in record packs, formats/ContentCodec): ContentDecoder, and the
// display helpers the desktop applies to what a workspace holds.
#include "formats/ContentCodec.h"
#include "formats/ContentDisplay.h"

volatile uint64_t g_sink; // keeps the pixel reads

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view content(reinterpret_cast<const char *>(data), size);
    custody::ContentDecoder decoder(content);
    custody::DecodedValue value;
    uint64_t sum = 0;
    while (decoder.next(&value)) {
        if (value.tag == custody::ValueTag::Image) {
            // Every pixel the decoder vouched for must be there: touch the last one (ASan checks it).
            uint64_t n = 0;
            if (__builtin_mul_overflow(uint64_t(value.width) * value.height, uint64_t(value.channels), &n))
                __builtin_trap(); // a wrapped size passed for a small image
            sum += n == 0 ? 0 : value.pixels[n - 1];
        } else if (value.tag == custody::ValueTag::String && !value.text.empty())
            sum += uint8_t(value.text.back());
    }
    g_sink = sum;
    (void)custody::contentImage(content);
    return 0;
}
