// version.h: goscope's version, from the project() line of the root CMakeLists.txt.
#pragma once

namespace goscope::app {

// kVersion is goscope's version ("0.1.0"); CMake passes it as GOSCOPE_VERSION.
inline constexpr const char* kVersion = GOSCOPE_VERSION;

}  // namespace goscope::app
