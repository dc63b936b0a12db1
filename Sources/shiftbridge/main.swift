import Shiftbridge
import ShiftbridgeDev

await Entrypoint.main(extensions: DevCommands())
