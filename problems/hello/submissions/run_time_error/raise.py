name = input()
raise ValueError("deliberate crash for " + name)
