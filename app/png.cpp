// png.cpp: PNG output through stb_image_write. libstb already holds the implementation,
// so this file includes only the declarations (no STB_IMAGE_WRITE_IMPLEMENTATION).
#include "app/png.h"

#include <stb_image_write.h>

#include "app/output_file.h"

namespace goscope::app {
namespace {

// append is stb's output callback: it collects the encoded bytes in a string.
void append(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace

bool write_png(const std::string& path, int width, int height,
               const std::vector<unsigned char>& rgb, std::string& problem) {
  if (width <= 0 || height <= 0 ||
      rgb.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3) {
    problem = "goscope: no pixels to write to " + path;
    return false;
  }
  // stb's own file writer ignores fwrite and fclose errors: encode in memory, then write
  // the bytes with every error checked.
  std::string png;
  if (stbi_write_png_to_func(append, &png, width, height, 3, rgb.data(), width * 3) == 0) {
    problem = "goscope: cannot encode " + path + " as PNG";
    return false;
  }
  if (!write_output_file(path, png, problem)) {
    problem = "goscope: " + problem;
    return false;
  }
  return true;
}

}  // namespace goscope::app
