// png.cpp: PNG output through stb_image_write. libstb already holds the implementation,
// so this file includes only the declarations (no STB_IMAGE_WRITE_IMPLEMENTATION).
#include "app/png.h"

#include <cerrno>
#include <cstring>

#include <stb_image_write.h>

namespace goscope::app {

bool write_png(const std::string& path, int width, int height,
               const std::vector<unsigned char>& rgb, std::string& problem) {
  if (width <= 0 || height <= 0 ||
      rgb.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3) {
    problem = "goscope: no pixels to write to " + path;
    return false;
  }
  errno = 0;
  if (stbi_write_png(path.c_str(), width, height, 3, rgb.data(), width * 3) == 0) {
    problem = "goscope: cannot write " + path + (errno ? std::string(": ") + std::strerror(errno) : "");
    return false;
  }
  return true;
}

}  // namespace goscope::app
