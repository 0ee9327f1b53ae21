// key_queue.h: the player's key presses, queued as they happen, applied once each.
//
// ImGui 1.86 looks at the keyboard once a frame (io.KeysDown): a tap that goes down and
// up between two frames of a slow frame is never seen, and a fast double tap counts
// once. The window's key callback pushes each press here the moment GLFW reports it;
// the player takes them at the start of the next frame and applies each one once.
//
// Example:
//
//   goscope::KeyQueue keys;
//   keys.push(goscope::PlayerKey::toggle_play);      // from the GLFW key callback
//   for (PlayerKey k : keys.take()) apply(k);        // next frame
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace goscope {

// PlayerKey is what a key does to the player: Space, Left, Right, Home.
enum class PlayerKey : uint8_t { toggle_play, step_back, step_forward, restart };

// KeyQueue holds presses not yet applied, oldest first. Not thread-safe: GLFW calls
// key callbacks on the main thread, from glfwPollEvents / glfwWaitEvents*.
class KeyQueue {
 public:
  // kMax bounds the queue: a key held down for a minute of stalled frames must not
  // replay a minute of steps.
  static constexpr std::size_t kMax = 32;

  // push queues one press (dropped once kMax are waiting).
  void push(PlayerKey key) {
    if (keys_.size() < kMax) keys_.push_back(key);
  }
  // take returns the queued presses, oldest first, and empties the queue.
  std::vector<PlayerKey> take() {
    std::vector<PlayerKey> out;
    out.swap(keys_);
    return out;
  }
  // clear drops the queued presses (they belonged to a text field).
  void clear() { keys_.clear(); }
  bool empty() const { return keys_.empty(); }
  std::size_t size() const { return keys_.size(); }

 private:
  std::vector<PlayerKey> keys_;
};

}  // namespace goscope
