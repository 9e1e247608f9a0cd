// No chat service: the bench talks to Hubot's HTTP listener only.
import { Adapter } from 'hubot'

class Silent extends Adapter {
  async run () {
    this.emit('connected')
  }

  close () {}
}

export default {
  use (robot) {
    return new Silent(robot)
  }
}
