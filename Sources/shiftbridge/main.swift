import Shiftbridge

await Entrypoint.main()
