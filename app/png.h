// png.h: writing the app's pixels to a PNG file (stb_image_write, from Debian's libstb).
#pragma once

#include <string>
#include <vector>

namespace goscope::app {

// write_png writes `rgb` (width*height tightly packed RGB pixels, top row first) to
// `path` with write_output_file: a failed write leaves any old file as it was. Returns
// false and sets `problem` to one line (with the reason) when it cannot be written.
bool write_png(const std::string& path, int width, int height,
               const std::vector<unsigned char>& rgb, std::string& problem);

}  // namespace goscope::app
